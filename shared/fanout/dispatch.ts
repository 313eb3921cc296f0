/**
 * Fan-out of the mail stage: the day's digests file is cut into batches (one shard file each, so a
 * worker reads only its readers' digests) and one SQS message per batch is enqueued. Re-running a
 * dispatch for a date is safe: shards are overwritten with the same content and a batch sent twice
 * finds its readers' write-once sent markers.
 */
import { keys } from "../domain/keys.js";
import { decodeDigestsFile, encodeDigestsFile } from "../pipeline/digests-file.js";
import type { ObjectStore, RunLog } from "../ports/index.js";
import { silentLog } from "../ports/index.js";
import { BATCH_MESSAGE_VERSION, batchShardKey, type MailBatchMessage } from "./messages.js";

/** Where batch messages go: SQS on AWS, an array in tests and the send benchmark. */
export interface BatchQueue {
  /** Enqueues every body; resolves only when all were accepted. */
  sendAll(bodies: string[]): Promise<void>;
}

export interface DispatchSummary {
  date: string;
  digests: number;
  batches: number;
  batchSize: number;
}

/** The day's digests are missing: the classify stage has not run for this date. */
export class DigestsMissingError extends Error {
  override name = "DigestsMissingError";
}

/** Cuts the date's digests into batches of `batchSize` readers, writes the shards, enqueues one message each. */
export async function dispatchMailBatches(
  date: string,
  deps: { store: ObjectStore; queue: BatchQueue; log?: RunLog },
  options: { batchSize: number; workers?: number; subscribers?: string[] },
): Promise<DispatchSummary> {
  const log = deps.log ?? silentLog;
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
    throw new RangeError(`batchSize must be a positive whole number, got ${options.batchSize}`);
  }
  const body = await deps.store.get(keys.digests(date));
  if (!body) throw new DigestsMissingError(`missing ${keys.digests(date)}: run the classify stage first`);
  const file = decodeDigestsFile(body.toString("utf8"), keys.digests(date));
  const only = options.subscribers ? new Set(options.subscribers.map((s) => s.toLowerCase())) : undefined;
  const digests = file.digests.filter((d) => !only || only.has(d.subscriber.email.toLowerCase()));
  const { of, size } = balancedBatches(digests.length, options.batchSize, options.workers ?? 1);
  const messages: string[] = [];
  for (let n = 1; n <= of; n++) {
    const part = digests.slice((n - 1) * size, n * size);
    const shard = batchShardKey(date, n);
    // A shard lists only the papers its readers get.
    await deps.store.put(shard, encodeDigestsFile({ ...file, digests: part }), "application/json");
    const message: MailBatchMessage = {
      v: BATCH_MESSAGE_VERSION,
      date,
      batch: n,
      of,
      shard,
      subscribers: part.map((d) => d.subscriber.email.toLowerCase()),
    };
    messages.push(JSON.stringify(message));
  }
  await deps.queue.sendAll(messages);
  const summary = { date, digests: digests.length, batches: of, batchSize: size };
  log.info("mail batches enqueued", { ...summary });
  return summary;
}

/**
 * At most `batchSize` readers a batch, the number of batches a multiple of `workers` and the sizes even,
 * so every worker finishes at about the same time (a lone last batch would halve the rate at the end).
 */
export function balancedBatches(
  readers: number,
  batchSize: number,
  workers: number,
): { of: number; size: number } {
  if (readers === 0) return { of: 0, size: batchSize };
  const rounds = Math.ceil(Math.ceil(readers / batchSize) / workers);
  const size = Math.ceil(readers / (rounds * workers));
  return { of: Math.ceil(readers / size), size };
}
