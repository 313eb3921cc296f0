/**
 * The mail worker's core: each SQS record is one batch of readers, sent by the real mail stage under
 * the worker's share of the send rate. Failures are reported per record (SQS partial batch responses):
 * a failed record comes back after its visibility timeout and, past maxReceiveCount, lands in the DLQ;
 * the retry re-sends only the readers without a sent marker.
 */
import type { PaperboyConfig } from "../config/schema.js";
import { type MailDeps, type MailOptions, type MailSummary, mailStage } from "../pipeline/stages.js";
import type { RunLog } from "../ports/index.js";
import { silentLog } from "../ports/index.js";
import { batchStoreView } from "./batch-store.js";
import { type MailBatchMessage, MailBatchMessageError, parseMailBatchMessage } from "./messages.js";
import { createSendPacer, pacedMailer, type SendPacer } from "./pacer.js";

export interface BatchRecord {
  messageId: string;
  body: string;
}

/** The SQS partial batch response (Lambda's SQSBatchResponse). */
export interface BatchItemFailures {
  batchItemFailures: { itemIdentifier: string }[];
}

/** Head room of the stage's own limiter over the pacer, so the pacer (which bounds every window) binds. */
const STAGE_LIMITER_SLACK = 1.1;

/**
 * Sends one batch: the mail stage over the batch's view of the store, every SES call through `pacer`
 * (one per container, so the pace holds across batches), else a fresh pacer at `perWorkerRate`.
 */
export function runMailBatch(
  config: PaperboyConfig,
  message: MailBatchMessage,
  deps: MailDeps & { perWorkerRate: number; pacer?: SendPacer },
  options: Omit<MailOptions, "subscribers"> = {},
): Promise<MailSummary> {
  const { perWorkerRate, pacer, ...mailDeps } = deps;
  const paced: PaperboyConfig = {
    ...config,
    delivery: { ...config.delivery, maxSendRate: Math.min(1000, perWorkerRate * STAGE_LIMITER_SLACK) },
  };
  return mailStage(
    paced,
    message.date,
    {
      ...mailDeps,
      mailer: pacedMailer(deps.mailer, pacer ?? createSendPacer(perWorkerRate)),
      store: batchStoreView(deps.store, message),
    },
    { concurrency: sendConcurrency(perWorkerRate), ...options, subscribers: message.subscribers },
  );
}

/**
 * Sends in flight for a pace: enough for two seconds of per-message latency (claim, SES call, sent
 * marker, history), so the rate limiter, not the round trips, sets the pace.
 */
export function sendConcurrency(perWorkerRate: number): number {
  return Math.min(32, Math.max(4, Math.ceil(perWorkerRate * 2)));
}

/** What one record came to, for the logs and metrics. */
export type BatchResult =
  | { messageId: string; ok: true; summary: MailSummary }
  | { messageId: string; ok: false; error: string; summary?: MailSummary };

/**
 * Runs every record in order; a record fails when its body is not a batch message, the stage throws,
 * or any of its digests failed (in-doubt sends are not failures: a later run settles them).
 */
export async function handleMailBatches(
  records: readonly BatchRecord[],
  runBatch: (message: MailBatchMessage) => Promise<MailSummary>,
  log: RunLog = silentLog,
): Promise<{ response: BatchItemFailures; results: BatchResult[] }> {
  const results: BatchResult[] = [];
  for (const record of records) {
    let message: MailBatchMessage;
    try {
      message = parseMailBatchMessage(record.body);
    } catch (error) {
      const reason = error instanceof MailBatchMessageError ? error.message : String(error);
      log.error("not a mail batch message", { messageId: record.messageId, error: reason });
      results.push({ messageId: record.messageId, ok: false, error: reason });
      continue;
    }
    try {
      const summary = await runBatch(message);
      const batch = { date: message.date, batch: message.batch, of: message.of };
      if (summary.failed.length > 0) {
        const first = summary.failed[0];
        const error = `${summary.failed.length} digest(s) failed, first ${first?.subscriber}: ${first?.error}`;
        log.warn("mail batch partly failed", { ...batch, sent: summary.sent.length, error });
        results.push({ messageId: record.messageId, ok: false, error, summary });
      } else {
        log.info("mail batch done", { ...batch, sent: summary.sent.length, inDoubt: summary.inDoubt.length });
        results.push({ messageId: record.messageId, ok: true, summary });
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      log.error("mail batch failed", { messageId: record.messageId, batch: message.batch, error: reason });
      results.push({ messageId: record.messageId, ok: false, error: reason });
    }
  }
  return {
    response: {
      batchItemFailures: results.filter((r) => !r.ok).map((r) => ({ itemIdentifier: r.messageId })),
    },
    results,
  };
}
