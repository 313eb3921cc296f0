/**
 * `npm run eval`: the classifier vs a plain BM25 baseline, day by day, on the labeled real papers in
 * ../shared/data (override with PAPERBOY_DATA_DIR), tuning days and held-out days reported apart.
 *   --data arxiv|hf|fine|both   which data set(s) (default both = all three)
 *   --split tune|heldout|both (default both)
 *   --topics               print per-topic tables too
 *   --out FILE             also write the JSON reports (default eval/results.json when all splits run)
 */
import { writeFileSync } from "node:fs";
import {
  type EvalSet,
  loadEvalSets,
  loadEvalTopics,
  loadFineTopics,
  splitDays,
} from "../shared/classify/eval-data.js";
import {
  bm25Baseline,
  byDay,
  evaluate,
  type Method,
  type MethodReport,
  reportTable,
  topicTable,
} from "../shared/classify/evaluation.js";
import { createClassifier, DEFAULT_THRESHOLD } from "../shared/classify/index.js";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The classifier as shipped (default options), as an eval method. */
export function classifierMethod(name = "paperboy classifier", useVectors = true): Method {
  return {
    name,
    cut: DEFAULT_THRESHOLD,
    score(papers, topics) {
      const c = createClassifier(topics, { useVectors });
      return papers.map((p) => c.scores(p).map((m) => m.score));
    },
  };
}

function main(): void {
  const which = arg("--data") ?? "both";
  const split = arg("--split") ?? "both";
  const categoryTopics = loadEvalTopics();
  const fineTopics = loadFineTopics();
  const sets: EvalSet[] = loadEvalSets(which);
  const methods = [classifierMethod(), classifierMethod("classifier, lexical only", false), bm25Baseline()];
  const out: Record<string, MethodReport[]> = {};
  for (const set of sets) {
    const { tune, heldout } = splitDays(set);
    const parts = [
      ["tuning", tune],
      ["held-out", heldout],
    ] as const;
    for (const [label, days] of parts) {
      if (split !== "both" && (split === "tune") !== (label === "tuning")) continue;
      const t0 = Date.now();
      const topics = set.fine ? fineTopics : categoryTopics;
      const reports = methods.map((m) => evaluate(m, byDay(days), topics));
      const n = days.length;
      const title = `${set.name}, ${label} (${new Set(days.map((d) => d.day)).size} days, ${n} papers, ${Date.now() - t0} ms)`;
      console.log(reportTable(title, reports));
      if (process.argv.includes("--topics")) for (const r of reports) console.log(topicTable(r));
      out[`${set.name} ${label}`] = reports;
    }
  }
  const outFile = arg("--out") ?? (which === "both" && split === "both" ? "eval/results.json" : undefined);
  if (outFile)
    writeFileSync(outFile, `${JSON.stringify({ threshold: DEFAULT_THRESHOLD, reports: out }, null, 1)}\n`);
}

main();
