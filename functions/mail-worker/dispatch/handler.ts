/** Mail dispatch Lambda (state machine task): the day's digests → batch shards → one SQS message per batch. */
import { S3Store } from "../../../shared/adapters/s3-store.js";
import { ConfigError } from "../../../shared/domain/errors.js";
import { dispatchMailBatches } from "../../../shared/fanout/dispatch.js";
import { SqsBatchQueue } from "../../../shared/fanout/sqs-queue.js";
import { MetricUnit, metrics, stageHandler } from "../../common/runtime.js";
import { fanoutEnv } from "../env.js";

export const handler = stageHandler("mail-dispatch", async ({ env, request, log }) => {
  const fanout = fanoutEnv();
  if (!fanout.PAPERBOY_MAIL_QUEUE_URL) throw new ConfigError("environment PAPERBOY_MAIL_QUEUE_URL: required");
  const summary = await dispatchMailBatches(
    request.date,
    {
      store: new S3Store(env.PAPERBOY_BUCKET),
      queue: new SqsBatchQueue(fanout.PAPERBOY_MAIL_QUEUE_URL),
      log,
    },
    {
      batchSize: fanout.PAPERBOY_MAIL_BATCH_SIZE,
      workers: fanout.PAPERBOY_MAIL_WORKERS,
      ...(request.subscribers ? { subscribers: request.subscribers } : {}),
    },
  );
  metrics.addMetric("MailBatches", MetricUnit.Count, summary.batches);
  return summary;
});
