/**
 * Regression: runs the eval harness on the held-out days (never tuned on) and fails when the shipped
 * classifier drops below the figures recorded in eval/RESULTS.md, less a small margin. Needs ../shared/data.
 */
import { describe, expect, it } from "vitest";
import { loadEvalSets, loadEvalTopics, loadFineTopics, splitDays } from "../../shared/classify/eval-data.js";
import {
  bm25Baseline,
  byDay,
  evaluate,
  type Figures,
  type Method,
} from "../../shared/classify/evaluation.js";
import { createClassifier, DEFAULT_THRESHOLD } from "../../shared/classify/index.js";

/** Held-out figures reached (eval/RESULTS.md); the test allows MARGIN below each. */
const REACHED: Record<string, Pick<Figures, "ndcg10" | "tagF1" | "digestP" | "digestR">> = {
  arxiv: { ndcg10: 0.466, tagF1: 0.292, digestP: 0.413, digestR: 0.405 },
  fine: { ndcg10: 0.892, tagF1: 0.599, digestP: 0.744, digestR: 0.761 },
};
const MARGIN = 0.015;

const classifier: Method = {
  name: "classifier",
  cut: DEFAULT_THRESHOLD,
  score(papers, topics) {
    const c = createClassifier(topics);
    return papers.map((p) => c.scores(p).map((m) => m.score));
  },
};

describe("classifier on held-out days", () => {
  const categoryTopics = loadEvalTopics();
  const fineTopics = loadFineTopics();
  const sets = loadEvalSets("both");

  it.each([
    ["arxiv", "arXiv cs daily"],
    ["fine", "HF fine topics"],
  ])("%s: stays at the recorded figures and beats BM25 on nDCG@10", (key, prefix) => {
    const set = sets.find((s) => s.name.startsWith(prefix));
    if (!set) throw new Error(`data set ${prefix} not found (is ../shared/data there?)`);
    const days = byDay(splitDays(set).heldout);
    const topics = set.fine ? fineTopics : categoryTopics;

    const ours = evaluate(classifier, days, topics).overall;
    const bm25 = evaluate(bm25Baseline(), days, topics).overall;

    const floor = REACHED[key];
    if (!floor) throw new Error(`no recorded figures for ${key}`);
    expect(ours.ndcg10).toBeGreaterThanOrEqual(floor.ndcg10 - MARGIN);
    expect(ours.tagF1).toBeGreaterThanOrEqual(floor.tagF1 - MARGIN);
    expect(ours.digestP).toBeGreaterThanOrEqual(floor.digestP - MARGIN);
    expect(ours.digestR).toBeGreaterThanOrEqual(floor.digestR - MARGIN);
    expect(ours.ndcg10).toBeGreaterThan(bm25.ndcg10);
  });
});
