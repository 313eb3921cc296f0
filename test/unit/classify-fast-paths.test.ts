/**
 * The classifier's fast paths must give what the plain definitions give, bit for bit: scoring by
 * postings (QueryPostings) = lexicalScore; the reader's reused counts = fresh ones; words found in place
 * (WordTable) = words(); dots = dot; the four-component rowsVector = one float32 add per word and
 * component; and the classifier = the per-pair reference path (paperTerms, lexicalScore, semanticScore,
 * calibrate, evidenceFor).
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../bench/workload.js";
import { createClassifier } from "../../shared/classify/index.js";
import { loadShippedModel } from "../../shared/classify/model-file.js";
import { QueryPostings } from "../../shared/classify/postings.js";
import {
  type CompiledTopic,
  calibrate,
  compileTopic,
  DEFAULT_PARAMS,
  evidenceFor,
  isExcluded,
  lexicalScore,
  PaperReader,
  paperTerms,
  type ScoringParams,
  semanticScore,
} from "../../shared/classify/score.js";
import { TermIndex, termCounts, terms, words } from "../../shared/classify/tokenize.js";
import {
  dot,
  dots,
  normalize,
  rowsVector,
  textVector,
  type WordVectors,
} from "../../shared/classify/vectors.js";
import { WordTable, wordHash } from "../../shared/classify/word-table.js";
import type { TopicConfig } from "../../shared/config/schema.js";
import type { Paper } from "../../shared/domain/paper.js";

const FEEDS = resolve(import.meta.dirname, "../fixtures/feeds");

function paper(id: string, title: string, abstract: string, extra: Partial<Paper> = {}): Paper {
  return { id, title, abstract, authors: [], categories: [], links: {}, sources: ["test"], ...extra };
}

/** The papers of the HF fixture days (title, abstract, AI keywords and summary). */
function fixturePapers(): Paper[] {
  return ["hf_daily_papers_api_2024-05-27.json", "hf_daily_papers_api_2025-06-03.json"].flatMap((name) =>
    (JSON.parse(readFileSync(resolve(FEEDS, name), "utf8")) as Array<{ paper: Record<string, unknown> }>).map(
      ({ paper: p }, i): Paper =>
        paper(`${name}-${i}`, String(p.title ?? ""), String(p.summary ?? ""), {
          ...(Array.isArray(p.ai_keywords) && { aiKeywords: p.ai_keywords.map(String) }),
          ...(typeof p.ai_summary === "string" && { aiSummary: p.ai_summary }),
        }),
    ),
  );
}

/**
 * Texts where finding words in place could go wrong: characters that lower-case to ASCII letters (the
 * Kelvin sign, dotted capital I), other scripts, surrogate pairs, digits, a word at the very end.
 */
const TRICKY_TEXTS = [
  "\u212Aelvin-scale KERNELS: the \u212A-means Trick",
  "\u0130stanbul LLMs \u00e9t\u00e9 na\u00efve Caf\u00c9 STRASSE stra\u00dfe",
  "GPT-4o, 3D & ViT! tool_use tool-use TOOL USE 2024 7 x1 1x",
  "emoji \ud83d\ude80 rocket \u4e2d\u6587 text \u0394elta \u03b1\u03b2",
  "trailing word",
  "   ",
  "",
  "a",
];

const fixtures = fixturePapers();
const tricky = TRICKY_TEXTS.map((t, i) =>
  paper(`tricky-${i}`, t, TRICKY_TEXTS.slice(i).join(" ; "), { aiKeywords: [t, ""], aiSummary: t }),
);

/** Random topics over the fixture papers' words: names, keyword phrases, descriptions, excludes. */
function randomTopics(count: number, seed: number): TopicConfig[] {
  const next = seededRandom(seed);
  const pool = fixtures.flatMap((p) => words(`${p.title} ${p.abstract}`)).filter((w) => w.length > 2);
  const pick = (n: number) =>
    Array.from({ length: n }, () => pool[Math.floor(next() * pool.length)]).join(" ");
  return Array.from({ length: count }, (_, i) => ({
    id: `t${i}`,
    name: `${pick(2)} and ${pick(1 + Math.floor(next() * 2))}`,
    description: pick(4 + Math.floor(next() * 8)),
    keywords: Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(1 + Math.floor(next() * 2))),
    exclude: next() < 0.3 ? [pick(1 + Math.floor(next() * 2))] : [],
    examples: next() < 0.3 ? [pick(6)] : [],
  }));
}

/** Random papers over the fixture papers' sentences, so that topics made from them have hits. */
function randomPapers(count: number, seed: number): Paper[] {
  const next = seededRandom(seed);
  const sentences = fixtures.flatMap((p) => p.abstract.split(/(?<=\.)\s+/));
  const pick = (n: number) =>
    Array.from({ length: n }, () => sentences[Math.floor(next() * sentences.length)]).join(" ");
  return Array.from({ length: count }, (_, i) => paper(`r${i}`, pick(1), pick(1 + Math.floor(next() * 6))));
}

const model = loadShippedModel();
const vectors = model.vectors ?? null;

describe("QueryPostings", () => {
  it.each<[string, ScoringParams]>([
    ["default parameters", DEFAULT_PARAMS],
    ["no phrase bonus", { ...DEFAULT_PARAMS, phraseBonus: 0 }],
    ["other saturation", { ...DEFAULT_PARAMS, k1: 2.2, b: 0.3, phraseBonus: 0.2 }],
  ])("scores every topic as lexicalScore does, bit for bit (%s)", (_, params) => {
    // Prepare
    const index = new TermIndex();
    const topics = randomTopics(40, 11).map((t) => compileTopic(t, model.background, null, params, index));
    const postings = new QueryPostings(topics, index);
    const reader = new PaperReader(index, null);
    const out = new Float64Array(topics.length);
    let scored = 0;
    for (const p of [...randomPapers(150, 12), ...fixtures, ...tricky]) {
      // Act
      const doc = reader.readReusing(p, model.background, params);
      postings.lexicalScores(doc.counts, doc.lengthFactor, out, params);
      // Assess
      topics.forEach((topic, t) => {
        expect(out[t], `${p.id} × ${topic.topic.id}`).toBe(lexicalScore(topic, doc, params));
        if ((out[t] as number) > 0) scored++;
      });
    }
    expect(scored).toBeGreaterThan(1000);
  });
});

describe("PaperReader.readReusing", () => {
  it("gives what read gives, paper after paper, with the ids it counted listed once each", () => {
    // Prepare: large and small papers in turn, so that a paper's leftovers would show in the next.
    const index = new TermIndex();
    for (const t of randomTopics(30, 21)) compileTopic(t, model.background, vectors, DEFAULT_PARAMS, index);
    const fresh = new PaperReader(index, vectors);
    const reusing = new PaperReader(index, vectors);
    const all = [...fixtures, ...tricky, ...randomPapers(60, 22)];
    for (const p of all.flatMap((x, i) => [x, all[all.length - 1 - i] as Paper])) {
      // Act
      const expected = fresh.read(p, model.background);
      const actual = reusing.readReusing(p, model.background);
      // Assess
      expect(actual.counts.tf).toEqual(expected.counts.tf);
      expect(actual.counts.title).toEqual(expected.counts.title);
      const present = Array.from(actual.counts.present.subarray(0, actual.counts.presentCount));
      const counted = [...expected.counts.tf.keys()].filter((id) => !Number.isNaN(expected.counts.tf[id]));
      expect([...present].sort((a, b) => a - b)).toEqual(counted);
      expect(actual.lengthFactor).toBe(expected.lengthFactor);
      expect(actual.vector).toEqual(expected.vector);
      expect(actual.fields).toEqual(expected.fields);
    }
  });
});

describe("words found in place", () => {
  it("count the same terms as words() and terms() on texts that lower-case oddly", () => {
    // Prepare: an index with every term of the texts.
    const index = new TermIndex();
    const topic: TopicConfig = {
      id: "tricky",
      name: "tricky",
      description: TRICKY_TEXTS.join(". "),
      keywords: TRICKY_TEXTS.filter((t) => terms(t).length > 0),
      exclude: [],
      examples: [],
    };
    compileTopic(topic, model.background, vectors, DEFAULT_PARAMS, index);
    const reader = new PaperReader(index, vectors);
    const termsOf = TRICKY_TEXTS.flatMap((t) => terms(t));
    expect(termsOf).toContain("kelvin"); // "\u212Aelvin" lower-cases to "kelvin"
    for (const p of tricky) {
      // Act
      const doc = reader.read(p, model.background);
      // Assess
      const p0 = DEFAULT_PARAMS;
      const plain = termCounts(p.title, new Map(), p0.titleWeight);
      termCounts(p.abstract, plain, 1);
      for (const k of p.aiKeywords ?? []) termCounts(k, plain, p0.aiKeywordWeight);
      if (p.aiSummary) termCounts(p.aiSummary, plain, p0.aiSummaryWeight);
      for (const term of new Set(termsOf)) {
        const id = index.add(term);
        const tf = doc.counts.tf[id] as number;
        expect(Number.isNaN(tf) ? undefined : tf, term).toBe(plain.get(term));
        expect(doc.counts.title[id] === 1, term).toBe(terms(p.title).includes(term));
      }
      const length = terms(p.title).length + terms(p.abstract).length;
      expect(doc.lengthFactor).toBe(1 - p0.b + (p0.b * length) / model.background.avgLength);
      if (vectors) expect(doc.vector).toEqual(textVector(vectors, `${p.title}. ${p.abstract}`));
    }
  });
});

describe("WordTable", () => {
  it("finds a word by a piece of a text, and only that word", () => {
    // Prepare
    const table = new WordTable<number>();
    table.add("learning", wordHash("learning"), 1);
    const text = "deep learning learn learnings";
    // Act + Assess
    expect(table.get(text, 5, 13, wordHash(text, 5, 13))).toBe(1);
    expect(table.get(text, 14, 19, wordHash(text, 14, 19))).toBeUndefined();
    expect(table.get(text, 20, 29, wordHash(text, 20, 29))).toBeUndefined();
  });

  it("tells apart two words of the same length and hash", () => {
    // Prepare: an FNV-1a collision.
    const [a, b] = ["mgvwew68zdn", "pwpmub3m6jx"];
    expect(wordHash(a)).toBe(wordHash(b));
    const table = new WordTable<string>();
    table.add(a, wordHash(a), "a");
    // Act + Assess
    expect(table.get(b, 0, b.length, wordHash(b))).toBeUndefined();
    table.add(b, wordHash(b), "b");
    expect(table.get(` ${a} `, 1, 12, wordHash(a))).toBe("a");
    expect(table.get(` ${b} `, 1, 12, wordHash(b))).toBe("b");
  });

  it("keeps every word as it grows", () => {
    // Prepare
    const next = seededRandom(31);
    const word = () =>
      Array.from({ length: 1 + Math.floor(next() * 12) }, () =>
        "abcdefghijklmnopqrstuvwxyz0123456789".charAt(Math.floor(next() * 36)),
      ).join("");
    const stored = new Map<string, number>();
    while (stored.size < 30_000) stored.set(word(), stored.size);
    const table = new WordTable<number>();
    // Act
    for (const [w, v] of stored) table.add(w, wordHash(w), v);
    // Assess
    expect(table.size).toBe(stored.size);
    for (const [w, v] of stored) expect(table.get(`.${w}.`, 1, w.length + 1, wordHash(w))).toBe(v);
    for (let i = 0; i < 5000; i++) {
      const w = `${word()}-`;
      expect(table.get(w, 0, w.length, wordHash(w))).toBeUndefined();
    }
  });
});

describe("dots", () => {
  it("equals dot for each vector, 0 where one is missing, whatever the count and lengths", () => {
    const next = seededRandom(41);
    const vector = (n: number) => Float32Array.from({ length: n }, () => next() * 2 - 1);
    for (let count = 0; count < 12; count++) {
      for (const dim of [1, 5, 100]) {
        // Prepare: some vectors missing, one of another length.
        const vs = Array.from({ length: count }, (_, i) =>
          i === 6 ? null : i === 9 ? vector(dim + 1) : vector(dim),
        );
        for (const x of [vector(dim), null]) {
          // Act
          const out = dots(vs, x, new Float64Array(count));
          // Assess
          vs.forEach((v, i) => {
            expect(out[i]).toBe(v && x ? dot(v, x) : 0);
          });
        }
      }
    }
  });
});

describe("rowsVector", () => {
  it.each([3, 5, 7, 10, 100])("adds one word at a time in float32 for any dimension (%i)", (dim) => {
    // Prepare: random vectors; the plain sum rounds to float32 at each add.
    const next = seededRandom(50 + dim);
    const n = 40;
    const v: WordVectors = {
      dim,
      index: new Map(),
      data: Int8Array.from({ length: n * dim }, () => Math.floor(next() * 255) - 127),
      scale: Float32Array.from({ length: n }, () => next() / 100),
      weight: Float32Array.from({ length: n }, () => next()),
      pc: normalize(Float32Array.from({ length: dim }, () => next() - 0.5)),
      docMean: new Float32Array(dim),
      docCov: new Float32Array(dim * dim),
    };
    const plain = (rows: number[]): Float32Array => {
      const out = new Float32Array(dim);
      for (const row of rows) {
        const f = (v.weight[row] ?? 0) * (v.scale[row] ?? 0);
        for (let j = 0; j < dim; j++) out[j] = (out[j] ?? 0) + f * (v.data[row * dim + j] ?? 0);
      }
      let d = 0;
      for (let j = 0; j < dim; j++) d += (out[j] ?? 0) * (v.pc[j] ?? 0);
      for (let j = 0; j < dim; j++) out[j] = (out[j] ?? 0) - d * (v.pc[j] ?? 0);
      return normalize(out);
    };
    for (let k = 0; k < 200; k++) {
      const rows = Array.from({ length: k % 19 }, () => Math.floor(next() * n));
      // Act + Assess
      expect(rowsVector(v, rows)).toEqual(plain(rows));
    }
  });
});

describe("classifier", () => {
  it("scores and tags as the per-pair reference path does, bit for bit", () => {
    // Prepare: the reference reads each paper afresh for no index and scores each topic on its own.
    const topics = randomTopics(25, 61);
    const papers = [...randomPapers(80, 62), ...fixtures.slice(0, 40), ...tricky];
    const reference = topics.map((t) => compileTopic(t, model.background, vectors));
    const expected = (p: Paper) => {
      const doc = paperTerms(p, model.background, vectors);
      return reference.map((t: CompiledTopic) => ({
        topicId: t.topic.id,
        score: isExcluded(t, doc)
          ? 0
          : calibrate(t, lexicalScore(t, doc), semanticScore(t, doc), vectors !== null),
        evidence: evidenceFor(t, doc),
      }));
    };
    const classifier = createClassifier(topics, { threshold: 0 });
    // Act
    const tagged = classifier.tag(papers);
    const scored = papers.map((p) => classifier.scores(p));
    // Assess
    papers.forEach((p, i) => {
      const want = expected(p);
      expect(scored[i]).toEqual(want);
      const kept = want.filter((m) => m.score > 0).sort((a, b) => b.score - a.score);
      expect(tagged[i]?.matches).toEqual(kept);
    });
    expect(tagged.some((t) => t.matches.some((m) => m.evidence.keywords.length > 0))).toBe(true);
  });
});
