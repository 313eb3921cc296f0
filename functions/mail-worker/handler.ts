/** Mail worker Lambda (SQS): each record is one batch of readers → the mail stage → SES, failures per record. */
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { S3Store } from "../../shared/adapters/s3-store.js";
import { SesMailer } from "../../shared/adapters/ses-mailer.js";
import { createSendPacer, type SendPacer } from "../../shared/fanout/pacer.js";
import { workerRate } from "../../shared/fanout/plan.js";
import { handleMailBatches, runMailBatch } from "../../shared/fanout/worker.js";
import { lambdaEnv, logger, MetricUnit, metrics, runLog, runtimeConfig } from "../common/runtime.js";
import { unsubscribeSigning } from "../common/unsubscribe-signing.js";
import { fanoutEnv } from "./env.js";

/** One per container: the pace holds across the batches this container works through. */
let pacer: SendPacer | undefined;

export async function handler(event: SQSEvent, context?: Context): Promise<SQSBatchResponse> {
  if (context) logger.addContext(context);
  try {
    const env = lambdaEnv();
    const config = runtimeConfig(env);
    const { PAPERBOY_MAIL_WORKERS: workers } = fanoutEnv();
    const store = new S3Store(env.PAPERBOY_BUCKET);
    const configurationSet = env.PAPERBOY_SES_CONFIGURATION_SET;
    const mailer = new SesMailer(configurationSet ? { configurationSet } : {});
    // This worker's share: all workers together stay under delivery.maxSendRate.
    const perWorkerRate = workerRate(config.delivery.maxSendRate, workers);
    pacer ??= createSendPacer(perWorkerRate);
    // The one-click unsubscribe link in every digest: key from Secrets Manager, URL of the unsubscribe function.
    const signing = await unsubscribeSigning();
    const records = event.Records.map((r) => ({ messageId: r.messageId, body: r.body }));
    const { response, results } = await handleMailBatches(
      records,
      (message) =>
        runMailBatch(
          config,
          message,
          { store, mailer, log: runLog, perWorkerRate, pacer, ...signing },
          { keepRendered: true },
        ),
      runLog,
    );
    for (const result of results) {
      const summary = result.summary;
      if (!summary) continue;
      metrics.addMetric("DigestsSent", MetricUnit.Count, summary.sent.length);
      metrics.addMetric("DigestsFailed", MetricUnit.Count, summary.failed.length);
      metrics.addMetric("DigestsInDoubt", MetricUnit.Count, summary.inDoubt.length);
    }
    metrics.addMetric("MailBatchesFailed", MetricUnit.Count, response.batchItemFailures.length);
    return response;
  } finally {
    metrics.publishStoredMetrics();
  }
}
