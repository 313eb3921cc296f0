/**
 * Bounces Lambda (SNS, fed by the SES configuration set's event destination): permanent bounces and
 * complaints → suppressions, Send events → acceptance records that settle in-doubt deliveries.
 * A store failure throws, so the asynchronous invocation is retried.
 */
import type { SNSEvent } from "aws-lambda";
import * as z from "zod";
import { S3Store } from "../../shared/adapters/s3-store.js";
import { retryingStore } from "../../shared/delivery/retrying-store.js";
import { applySesFeedback, parseSesNotification } from "../../shared/unsubscribe/ses-events.js";
import { logger, MetricUnit, metrics } from "../common/runtime.js";

const envSchema = z.object({ PAPERBOY_BUCKET: z.string().min(3) });

export async function handler(
  event: SNSEvent,
): Promise<{ suppressed: number; accepted: number; ignored: number }> {
  try {
    const env = envSchema.parse(process.env);
    const store = retryingStore(new S3Store(env.PAPERBOY_BUCKET));
    const total = { suppressed: 0, accepted: 0, ignored: 0 };
    for (const record of event.Records ?? []) {
      const feedback = parseSesNotification(record.Sns?.Message ?? "");
      const result = await applySesFeedback(store, feedback, new Date());
      total.suppressed += result.suppressed;
      total.accepted += result.accepted;
      total.ignored += result.ignored;
      if (result.suppressed > 0) logger.info("address suppressed", { kind: feedback?.kind });
    }
    metrics.addMetric("AddressesSuppressed", MetricUnit.Count, total.suppressed);
    metrics.addMetric("SendsConfirmed", MetricUnit.Count, total.accepted);
    return total;
  } finally {
    metrics.publishStoredMetrics();
  }
}
