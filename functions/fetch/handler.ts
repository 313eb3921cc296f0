/** Fetch Lambda: the configured sources for the run date → raw/<date>/<source>.json in the bucket. */
import { HttpFeedFetcher } from "../../shared/adapters/http-fetcher.js";
import { S3Store } from "../../shared/adapters/s3-store.js";
import { fetchStage } from "../../shared/pipeline/stages.js";
import { MetricUnit, metrics, stageHandler } from "../common/runtime.js";

/** Every source failed: nothing to classify, and a later retry may well succeed. */
export class NoSourceReadError extends Error {
  override name = "NoSourceReadError";
}

export const handler = stageHandler("fetch", async ({ env, config, request, log }) => {
  const store = new S3Store(env.PAPERBOY_BUCKET);
  const summary = await fetchStage(config, request.date, { store, fetcher: new HttpFeedFetcher(), log });
  const failed = summary.sources.filter((s) => !s.ok);
  metrics.addMetric("PapersFetched", MetricUnit.Count, summary.papers);
  metrics.addMetric("SourcesFailed", MetricUnit.Count, failed.length);
  if (failed.length === summary.sources.length) {
    throw new NoSourceReadError(
      `no source could be read for ${request.date}: ${failed[0]?.error ?? "no sources"}`,
    );
  }
  return summary;
});
