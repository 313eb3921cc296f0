/** Mail Lambda: the run date's digests → rendered MIME → SES, at most once per reader and date. */
import { S3Store } from "../../shared/adapters/s3-store.js";
import { SesMailer } from "../../shared/adapters/ses-mailer.js";
import { mailStage } from "../../shared/pipeline/stages.js";
import { MetricUnit, metrics, stageHandler } from "../common/runtime.js";

/**
 * Some digests failed for good or after the stage's own retries. Thrown after the others went out so the
 * state machine retries; the retry sends only the failed ones (sent digests left write-once markers).
 * In-doubt sends are not failures here: the send protocol settles them on a later run, after a grace.
 */
export class DigestDeliveryError extends Error {
  override name = "DigestDeliveryError";
}

export const handler = stageHandler("mail", async ({ env, config, request, log }) => {
  const store = new S3Store(env.PAPERBOY_BUCKET);
  const configurationSet = env.PAPERBOY_SES_CONFIGURATION_SET;
  const mailer = new SesMailer(configurationSet ? { configurationSet } : {});
  const options = {
    keepRendered: true,
    ...(request.subscribers ? { subscribers: request.subscribers } : {}),
  };
  const summary = await mailStage(config, request.date, { store, mailer, log }, options);
  metrics.addMetric("DigestsSent", MetricUnit.Count, summary.sent.length);
  metrics.addMetric("DigestsFailed", MetricUnit.Count, summary.failed.length);
  metrics.addMetric("DigestsInDoubt", MetricUnit.Count, summary.inDoubt.length);
  metrics.addMetric("DigestsSuppressed", MetricUnit.Count, summary.suppressed.length);
  metrics.addMetric("DigestsEmpty", MetricUnit.Count, summary.empty.length);
  if (summary.failed.length > 0) {
    const first = summary.failed[0];
    throw new DigestDeliveryError(
      `${summary.failed.length} digest(s) failed for ${request.date}, first ${first?.subscriber}: ${first?.error}`,
    );
  }
  return summary;
});
