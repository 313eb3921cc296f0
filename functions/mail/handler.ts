/** Mail Lambda: the run date's digests → rendered MIME → SES, at most once per reader and date. */
import { S3Store } from "../../shared/adapters/s3-store.js";
import { SesMailer } from "../../shared/adapters/ses-mailer.js";
import { mailStage } from "../../shared/pipeline/stages.js";
import { MetricUnit, metrics, stageHandler } from "../common/runtime.js";

/**
 * Some digests failed. Thrown after the others went out so the state machine retries; the retry sends
 * only the failed ones, because each sent digest left a write-once marker.
 */
export class DigestDeliveryError extends Error {
  override name = "DigestDeliveryError";
}

export const handler = stageHandler("mail", async ({ env, config, request, log }) => {
  const store = new S3Store(env.PAPERBOY_BUCKET);
  const configurationSet = env.PAPERBOY_SES_CONFIGURATION_SET;
  const mailer = new SesMailer(configurationSet ? { configurationSet } : {});
  const options = request.subscribers ? { subscribers: request.subscribers } : {};
  const summary = await mailStage(config, request.date, { store, mailer, log }, options);
  metrics.addMetric("DigestsSent", MetricUnit.Count, summary.sent.length);
  metrics.addMetric("DigestsFailed", MetricUnit.Count, summary.failed.length);
  metrics.addMetric("DigestsEmpty", MetricUnit.Count, summary.empty.length);
  if (summary.failed.length > 0) {
    const first = summary.failed[0];
    throw new DigestDeliveryError(
      `${summary.failed.length} digest(s) failed for ${request.date}, first ${first?.subscriber}: ${first?.error}`,
    );
  }
  return summary;
});
