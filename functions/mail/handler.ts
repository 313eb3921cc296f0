/** Mail Lambda: the run date's digests → rendered MIME → SES, at most once per reader and date. */
import { S3Store } from "../../shared/adapters/s3-store.js";
import { SesMailer } from "../../shared/adapters/ses-mailer.js";
import { subscriberId } from "../../shared/domain/subscriber.js";
import { mailCounts, mailStage } from "../../shared/pipeline/stages.js";
import { MetricUnit, metrics, stageHandler } from "../common/runtime.js";
import { unsubscribeSigning } from "../common/unsubscribe-signing.js";

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
  const signing = await unsubscribeSigning();
  const summary = await mailStage(config, request.date, { store, mailer, log, ...signing }, options);
  const counts = mailCounts(summary);
  metrics.addMetric("DigestsSent", MetricUnit.Count, counts.sent);
  metrics.addMetric("DigestsFailed", MetricUnit.Count, counts.failed);
  metrics.addMetric("DigestsInDoubt", MetricUnit.Count, counts.inDoubt);
  metrics.addMetric("DigestsSuppressed", MetricUnit.Count, counts.suppressed);
  metrics.addMetric("DigestsEmpty", MetricUnit.Count, counts.empty);
  // Counts and reader ids only: addresses stay out of logs and the state machine's history
  // (the details are in state/runs/<date>.json).
  const failed = summary.failed[0];
  if (failed) {
    throw new DigestDeliveryError(
      `${counts.failed} digest(s) failed for ${request.date}, first ${subscriberId(failed.subscriber)}: ${failed.error}`,
    );
  }
  return { date: summary.date, ...counts, ...(summary.quiet ? { quiet: summary.quiet } : {}) };
});
