/** Classify Lambda: raw papers of the run date → tagged, ranked and personalized results in the bucket. */
import { S3Store } from "../../shared/adapters/s3-store.js";
import { classifyStage } from "../../shared/pipeline/stages.js";
import { MetricUnit, metrics, stageHandler } from "../common/runtime.js";

export const handler = stageHandler("classify", async ({ env, config, request, log }) => {
  const store = new S3Store(env.PAPERBOY_BUCKET);
  const { digests, ...summary } = await classifyStage(config, request.date, { store, log });
  metrics.addMetric("PapersMerged", MetricUnit.Count, summary.merged);
  metrics.addMetric("PapersTagged", MetricUnit.Count, summary.tagged);
  // Counts only: reader addresses stay out of logs and the state machine's history.
  return {
    ...summary,
    digests: digests.length,
    papersInDigests: digests.reduce((n, d) => n + d.papers, 0),
  };
});
