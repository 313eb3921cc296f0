/**
 * `npx tsx scripts/bench-classify.ts [papers] [topics]`: times createClassifier and tag() at Lambda scale
 * (default 2,000 real papers × 50 topics; topics are the eval profiles repeated with variations).
 */
import { performance } from "node:perf_hooks";
import { readArxivPapers, resolveDataDir } from "../shared/classify/corpus.js";
import { loadEvalTopics } from "../shared/classify/eval-data.js";
import { createClassifier } from "../shared/classify/index.js";
import { loadShippedModel } from "../shared/classify/model-file.js";
import type { TopicConfig } from "../shared/config/schema.js";

const nPapers = Number(process.argv[2] ?? 2000);
const nTopics = Number(process.argv[3] ?? 50);

const t0 = performance.now();
const model = loadShippedModel();
const tLoad = performance.now() - t0;

const papers = readArxivPapers(resolveDataDir())
  .slice(0, nPapers)
  .map((d) => d.paper);
const base = loadEvalTopics().map((t) => t.topic);
const topics: TopicConfig[] = Array.from({ length: nTopics }, (_, i) => {
  const t = base[i % base.length] as TopicConfig;
  const other = base[(i * 7 + 3) % base.length] as TopicConfig;
  return { ...t, id: `${t.id}-${i}`, keywords: [...t.keywords, ...other.keywords.slice(0, i % 3)] };
});

const t1 = performance.now();
const classifier = createClassifier(topics);
const tCreate = performance.now() - t1;
const t2 = performance.now();
const tagged = classifier.tag(papers);
const tTag = performance.now() - t2;
const matches = tagged.reduce((s, p) => s + p.matches.length, 0);
const mem = process.memoryUsage();

console.log(
  [
    `model load: ${tLoad.toFixed(0)} ms (${model.background.df.size} terms, vectors: ${model.vectors ? `${model.vectors.index.size} × ${model.vectors.dim}` : "none"})`,
    `createClassifier(${nTopics} topics): ${tCreate.toFixed(0)} ms`,
    `tag(${papers.length} papers × ${nTopics} topics): ${tTag.toFixed(0)} ms, ${matches} matches`,
    `heap used: ${(mem.heapUsed / 2 ** 20).toFixed(0)} MB, rss: ${(mem.rss / 2 ** 20).toFixed(0)} MB`,
  ].join("\n"),
);
