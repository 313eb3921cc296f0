/** The eval harness's inputs: reader topic profiles (eval/topics.yaml) and the labeled days, split tune/held-out. */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { topicSchema } from "../config/schema.js";
import { type DatedPaper, readArxivPapers, readHfPapers, resolveDataDir } from "./corpus.js";
import type { EvalTopic } from "./evaluation.js";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** A labeled data set and the first day of its held-out part (days on/after it are never tuned on). */
export interface EvalSet {
  name: string;
  papers: DatedPaper[];
  heldOutFrom: string;
  /** Judged with the fine-grained topics (label patterns) rather than the category topics. */
  fine?: boolean;
}

/** First held-out day of each data set: the last ~1.5 weeks of arXiv listings, the last ~7 weeks of HF days. */
export const HELD_OUT_FROM = { arxiv: "2026-06-23", hf: "2026-05-15" } as const;

/** Reads eval/topics-fine.yaml: TopicConfigs plus `labels`, patterns over a paper's HF AI keywords. */
export function loadFineTopics(file = resolve(REPO_ROOT, "eval/topics-fine.yaml")): EvalTopic[] {
  const raw = parse(readFileSync(file, "utf8")) as { topics: Array<Record<string, unknown>> };
  return raw.topics.map((entry) => {
    const { labels, ...rest } = entry;
    const patterns = (Array.isArray(labels) ? labels : []).map((l) => new RegExp(String(l), "i"));
    return { topic: topicSchema.parse(rest), category: "", labels: patterns };
  });
}

/** Reads eval/topics.yaml: each entry is a TopicConfig plus the arXiv `category` it is judged against. */
export function loadEvalTopics(file = resolve(REPO_ROOT, "eval/topics.yaml")): EvalTopic[] {
  const raw = parse(readFileSync(file, "utf8")) as { topics: Array<Record<string, unknown>> };
  return raw.topics.map((entry) => {
    const { category, ...rest } = entry;
    return { topic: topicSchema.parse(rest), category: String(category) };
  });
}

/** The labeled sets: "arxiv" (every paper), "hf" (only papers whose arXiv categories are known). */
export function loadEvalSets(which: string, dataDir = resolveDataDir()): EvalSet[] {
  const sets: EvalSet[] = [];
  if (which === "arxiv" || which === "both") {
    sets.push({ name: "arXiv cs daily", papers: readArxivPapers(dataDir), heldOutFrom: HELD_OUT_FROM.arxiv });
  }
  if (which === "hf" || which === "both") {
    const papers = readHfPapers(dataDir).filter((d) => d.paper.categories.length > 0 && d.day < "2026-07-01");
    sets.push({ name: "HF Daily Papers", papers, heldOutFrom: HELD_OUT_FROM.hf });
  }
  if (which === "fine" || which === "both") {
    // Labels = the HF AI keywords, moved into `categories`; the scorer never sees them (nor the AI summary).
    const papers = readHfPapers(dataDir)
      .filter((d) => (d.paper.aiKeywords?.length ?? 0) > 0 && d.day < "2026-07-01")
      .map(({ day, paper }) => {
        const { aiKeywords, aiSummary: _summary, ...rest } = paper;
        return { day, paper: { ...rest, categories: aiKeywords ?? [] } };
      });
    sets.push({
      name: "HF fine topics (AI-keyword labels)",
      papers,
      heldOutFrom: HELD_OUT_FROM.hf,
      fine: true,
    });
  }
  return sets;
}

/** Splits a set's papers into tuning days and held-out days. */
export function splitDays(set: EvalSet): { tune: DatedPaper[]; heldout: DatedPaper[] } {
  return {
    tune: set.papers.filter((d) => d.day < set.heldOutFrom),
    heldout: set.papers.filter((d) => d.day >= set.heldOutFrom),
  };
}
