/**
 * The evaluation harness (used by `npm run eval` and the regression test): runs a scorer day by day over
 * labeled papers and measures tagging P/R/F1 against author-assigned categories, nDCG@10 of each day's
 * ranking, and the precision/recall of the digest (score ≥ threshold, capped at maxPapers).
 */
import type { TopicConfig } from "../config/schema.js";
import type { Paper } from "../domain/paper.js";
import { idf as bgIdf } from "./background.js";
import type { DatedPaper } from "./corpus.js";
import { terms } from "./tokenize.js";

/** A reader topic judged against one arXiv category, or against label patterns (see eval/topics-fine.yaml). */
export interface EvalTopic {
  topic: TopicConfig;
  category: string;
  /** When set, a paper is relevant (gain 2) when any of its labels (in `categories`) matches one pattern. */
  labels?: RegExp[];
}

/** Scores every paper of one day for every topic: result[paper][topic]. */
export type DayScorer = (papers: Paper[], topics: TopicConfig[]) => number[][];

/** A method under evaluation: how it scores, and the score a paper needs to be tagged (per topic and day). */
export interface Method {
  name: string;
  score: DayScorer;
  /** Tagging cut: absolute score, or a function of the day's scores for one topic (for uncalibrated baselines). */
  cut: number | ((dayScores: number[]) => number);
}

/** Aggregated figures for one topic or overall. */
export interface Figures {
  ndcg10: number;
  tagP: number;
  tagR: number;
  tagF1: number;
  digestP: number;
  digestR: number;
  digestSize: number;
  /** (day, topic) pairs behind the ranking/digest means. */
  pairs: number;
}

export interface MethodReport {
  method: string;
  overall: Figures;
  perTopic: Record<string, Figures>;
}

/** Gain of a paper for a topic: 2 when the category is the paper's primary, 1 when cross-listed, else 0. */
export function gain(paper: Paper, category: string, labels?: RegExp[]): number {
  if (labels) return paper.categories.some((c) => labels.some((re) => re.test(c))) ? 2 : 0;
  if (paper.categories[0] === category) return 2;
  return paper.categories.includes(category) ? 1 : 0;
}

/** nDCG@k of a ranking given the gains in ranked order and all gains of the day. */
export function ndcgAt(k: number, rankedGains: number[], allGains: number[]): number {
  const dcg = (gs: number[]) => gs.slice(0, k).reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);
  const ideal = dcg([...allGains].sort((a, b) => b - a));
  return ideal > 0 ? dcg(rankedGains) / ideal : 0;
}

/** Groups papers by day, in date order. */
export function byDay(papers: DatedPaper[]): Map<string, Paper[]> {
  const days = new Map<string, Paper[]>();
  for (const { day, paper } of [...papers].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))) {
    const list = days.get(day) ?? [];
    list.push(paper);
    days.set(day, list);
  }
  return days;
}

interface Acc {
  ndcg: number[];
  tp: number;
  fp: number;
  fn: number;
  dP: number[];
  dR: number[];
  dSize: number[];
}

const mean = (xs: number[]) => (xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

function figures(acc: Acc): Figures {
  const tagP = acc.tp + acc.fp > 0 ? acc.tp / (acc.tp + acc.fp) : 0;
  const tagR = acc.tp + acc.fn > 0 ? acc.tp / (acc.tp + acc.fn) : 0;
  return {
    ndcg10: mean(acc.ndcg),
    tagP,
    tagR,
    tagF1: tagP + tagR > 0 ? (2 * tagP * tagR) / (tagP + tagR) : 0,
    digestP: mean(acc.dP),
    digestR: mean(acc.dR),
    digestSize: mean(acc.dSize),
    pairs: acc.ndcg.length,
  };
}

/** Runs one method over the days; `maxPapers` caps each digest. Skips (day, topic) pairs with no relevant paper. */
export function evaluate(
  method: Method,
  days: Map<string, Paper[]>,
  topics: EvalTopic[],
  maxPapers = 10,
): MethodReport {
  const accs = topics.map((): Acc => ({ ndcg: [], tp: 0, fp: 0, fn: 0, dP: [], dR: [], dSize: [] }));
  const configs = topics.map((t) => t.topic);
  for (const papers of days.values()) {
    const s = method.score(papers, configs);
    topics.forEach((t, j) => {
      const acc = accs[j];
      if (!acc) return;
      const col = papers.map((_, i) => s[i]?.[j] ?? 0);
      const gains = papers.map((p) => gain(p, t.category, t.labels));
      const cut = typeof method.cut === "number" ? method.cut : method.cut(col);
      gains.forEach((g, i) => {
        const tagged = (col[i] ?? 0) >= cut && (col[i] ?? 0) > 0;
        if (tagged && g > 0) acc.tp++;
        else if (tagged) acc.fp++;
        else if (g > 0) acc.fn++;
      });
      const relevant = gains.filter((g) => g > 0).length;
      if (relevant === 0) return;
      const order = papers
        .map((p, i) => ({ i, score: col[i] ?? 0, id: p.id }))
        .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
      acc.ndcg.push(
        ndcgAt(
          10,
          order.map((o) => gains[o.i] ?? 0),
          gains,
        ),
      );
      const digest = order.filter((o) => o.score >= cut && o.score > 0).slice(0, maxPapers);
      acc.dSize.push(digest.length);
      const hits = digest.filter((o) => (gains[o.i] ?? 0) > 0).length;
      if (digest.length > 0) acc.dP.push(hits / digest.length);
      // "Squarely on the topic": primary category; for cross-list-only categories (cs.LG, cs.RO …), any label.
      const square = gains.some((g) => g === 2) ? 2 : 1;
      const squarely = gains.filter((g) => g >= square).length;
      const squareHits = digest.filter((o) => (gains[o.i] ?? 0) >= square).length;
      acc.dR.push(squareHits / Math.min(squarely, maxPapers));
    });
  }
  const perTopic: Record<string, Figures> = {};
  topics.forEach((t, j) => {
    const acc = accs[j];
    if (acc) perTopic[t.topic.id] = figures(acc);
  });
  const all = Object.values(perTopic);
  const avg = (k: keyof Figures) => mean(all.filter((f) => f.pairs > 0).map((f) => f[k]));
  return {
    method: method.name,
    perTopic,
    overall: {
      ndcg10: avg("ndcg10"),
      tagP: mean(all.map((f) => f.tagP)),
      tagR: mean(all.map((f) => f.tagR)),
      tagF1: mean(all.map((f) => f.tagF1)),
      digestP: avg("digestP"),
      digestR: avg("digestR"),
      digestSize: avg("digestSize"),
      pairs: all.reduce((a, f) => a + f.pairs, 0),
    },
  };
}

/**
 * The baseline: plain BM25 (k1 1.2, b 0.75) of title + abstract against name + description + keywords as
 * one bag of stems, IDF from the day itself. It has no calibrated score, so it tags papers scoring at least
 * half of the day's best for that topic.
 */
export function bm25Baseline(): Method {
  return {
    name: "BM25 (day IDF)",
    cut: (col) => 0.5 * Math.max(0, ...col),
    score(papers, topics) {
      const docs = papers.map((p) => terms(`${p.title} ${p.abstract}`).filter((t) => !t.includes(" ")));
      const df = new Map<string, number>();
      for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
      const avg = mean(docs.map((d) => d.length)) || 1;
      const bg = { docs: docs.length, avgLength: avg, df };
      const queries = topics.map((t) =>
        terms([t.name, t.description, ...t.keywords].join(" ")).filter((x) => !x.includes(" ")),
      );
      return docs.map((d) => {
        const tf = new Map<string, number>();
        for (const t of d) tf.set(t, (tf.get(t) ?? 0) + 1);
        const norm = 1.2 * (0.25 + (0.75 * d.length) / avg);
        return queries.map((q) =>
          q.reduce((s, t) => {
            const f = tf.get(t) ?? 0;
            return s + (f > 0 ? (bgIdf(bg, t) * f * 2.2) / (f + norm) : 0);
          }, 0),
        );
      });
    },
  };
}

/** Formats reports as a Markdown table (one row per method). */
export function reportTable(title: string, reports: MethodReport[]): string {
  const f = (x: number) => x.toFixed(3);
  const rows = reports.map(
    (r) =>
      `| ${r.method} | ${f(r.overall.ndcg10)} | ${f(r.overall.tagP)} | ${f(r.overall.tagR)} | ${f(r.overall.tagF1)} | ${f(r.overall.digestP)} | ${f(r.overall.digestR)} | ${r.overall.digestSize.toFixed(1)} |`,
  );
  return [
    `### ${title}`,
    "",
    "| method | nDCG@10 | tag P | tag R | tag F1 | digest P | digest R | digest size |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}

/** Per-topic table for one method. */
export function topicTable(report: MethodReport): string {
  const f = (x: number) => x.toFixed(3);
  const rows = Object.entries(report.perTopic).map(
    ([id, t]) =>
      `| ${id} | ${f(t.ndcg10)} | ${f(t.tagP)} | ${f(t.tagR)} | ${f(t.tagF1)} | ${f(t.digestP)} | ${f(t.digestR)} | ${t.digestSize.toFixed(1)} |`,
  );
  return [
    `#### ${report.method}: per topic`,
    "",
    "| topic | nDCG@10 | tag P | tag R | tag F1 | digest P | digest R | digest size |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}
