/**
 * Rebuilds the classifier's shipped model files under shared/classify/model/ from the real papers in
 * ../shared/data (override with PAPERBOY_DATA_DIR):
 *   background.tsv.gz  document frequencies of stems and two-word phrases (always rebuilt)
 *   vectors.bin        pruned int8 word vectors, only with `--vectors <fastText .vec file>`
 * The .vec file comes from a one-off fastText run (see shared/classify/README.md), never from CI.
 */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { type Background, serializeBackground } from "../shared/classify/background.js";
import { readArxivPapers, readHfPapers, resolveDataDir } from "../shared/classify/corpus.js";
import { MODEL_DIR_URL } from "../shared/classify/model-file.js";
import { STOP_WORDS, terms, words } from "../shared/classify/tokenize.js";
import { buildWordVectors, encodeVectorFile, parseVec } from "../shared/classify/vectors.js";

/** Unigrams seen in fewer papers than this are left out (they fall back to df = 1). */
const MIN_DF_WORD = 2;
/** Phrases seen in fewer papers than this are left out. */
const MIN_DF_PHRASE = 4;

/** Word vectors kept: the most frequent words, at most this many (size: words × dim bytes). */
const MAX_VECTOR_WORDS = Number(process.env.PAPERBOY_MAX_VECTOR_WORDS ?? 16_000);
/** Words rarer than this in the background get no vector. */
const MIN_VECTOR_COUNT = 5;

/** Title + abstract of every paper of both data sets, each paper once. */
function backgroundTexts(dataDir: string): string[] {
  const seen = new Set<string>();
  const texts: string[] = [];
  for (const { paper } of [...readArxivPapers(dataDir), ...readHfPapers(dataDir)]) {
    if (seen.has(paper.id)) continue;
    seen.add(paper.id);
    texts.push(`${paper.title} ${paper.abstract}`);
  }
  return texts;
}

function buildBackground(texts: string[]): Background & { df: Map<string, number> } {
  const df = new Map<string, number>();
  let totalLength = 0;
  for (const text of texts) {
    const ts = terms(text);
    totalLength += ts.length;
    for (const t of new Set(ts)) df.set(t, (df.get(t) ?? 0) + 1);
  }
  for (const [t, n] of df) {
    if (n < (t.includes(" ") ? MIN_DF_PHRASE : MIN_DF_WORD)) df.delete(t);
  }
  return { docs: texts.length, avgLength: totalLength / texts.length, df };
}

function main(): void {
  const dataDir = resolveDataDir();
  const modelDir = new URL(MODEL_DIR_URL);
  const t0 = Date.now();
  const texts = backgroundTexts(dataDir);
  const bg = buildBackground(texts);
  const bgPath = resolve(modelDir.pathname, "background.tsv.gz");
  writeFileSync(bgPath, gzipSync(serializeBackground(bg), { level: 9 }));
  console.log(
    `background: ${bg.docs} papers, ${bg.df.size} terms, ${statSync(bgPath).size} bytes (${Date.now() - t0} ms)`,
  );

  const vecIdx = process.argv.indexOf("--vectors");
  const vecFile = vecIdx >= 0 ? process.argv[vecIdx + 1] : undefined;
  if (vecFile) {
    const { dim, rows } = parseVec(readFileSync(vecFile, "utf8"));
    const counts = new Map<string, number>();
    for (const text of texts) for (const w of words(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
    const vectors = buildWordVectors(
      { dim, rows, counts, texts, maxWords: MAX_VECTOR_WORDS, minCount: MIN_VECTOR_COUNT },
      (w) => STOP_WORDS.has(w),
    );
    const file = encodeVectorFile(vectors);
    const outPath = resolve(modelDir.pathname, "vectors.bin");
    writeFileSync(outPath, file);
    console.log(`vectors: ${statSync(outPath).size} bytes`);
  }
}

main();
