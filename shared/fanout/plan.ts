/**
 * How the mail work is split across Lambdas so the total send rate stays under the SES maximum send
 * rate: `workers` concurrent workers (the event source's maxConcurrency and the function's reserved
 * concurrency), each pacing itself at `perWorkerRate` (shared/fanout/pacer.ts: never more than its
 * share in any one-second window), so workers × perWorkerRate = maxSendRate is never exceeded.
 */

/** Messages per second one worker sustains: 4 sends in flight × ~80 ms per SES call, ~1–2 ms CPU each. */
export const PER_WORKER_MAX_RATE = 25;
/** The SQS event source's smallest maxConcurrency. */
export const MIN_WORKERS = 2;
/** Seconds of sending one SQS message carries at the worker's pace (well inside the function timeout). */
export const BATCH_SECONDS = 120;

export interface FanoutPlan {
  /** Concurrent workers: event source maxConcurrency = reserved concurrency. */
  workers: number;
  /** Messages per second each worker sends at most. */
  perWorkerRate: number;
  /** Subscribers per SQS message. */
  batchSize: number;
}

/** The plan for a configured delivery.maxSendRate (messages per second). */
export function fanoutPlan(
  maxSendRate: number,
  options: { perWorkerMaxRate?: number; batchSeconds?: number } = {},
): FanoutPlan {
  if (!(maxSendRate > 0)) throw new RangeError(`maxSendRate must be positive, got ${maxSendRate}`);
  const perWorkerMax = options.perWorkerMaxRate ?? PER_WORKER_MAX_RATE;
  const workers = Math.max(MIN_WORKERS, Math.ceil(maxSendRate / perWorkerMax));
  const perWorkerRate = workerRate(maxSendRate, workers);
  const batchSize = Math.min(
    500,
    Math.max(10, Math.floor(perWorkerRate * (options.batchSeconds ?? BATCH_SECONDS))),
  );
  return { workers, perWorkerRate, batchSize };
}

/** One worker's pace when `workers` share `maxSendRate` (what the worker computes from its environment). */
export function workerRate(maxSendRate: number, workers: number): number {
  return maxSendRate / Math.max(1, workers);
}
