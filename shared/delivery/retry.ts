/** Retries with exponential backoff and full jitter, for calls whose failure says trying again can help. */
import { classifyFailure, type FailureKind } from "./failures.js";

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Backoff before retry k (1-based) is random in [0, min(maxDelayMs, baseDelayMs * 2^(k-1))]. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Throttling waits at least this long (the service asked us to slow down). */
  throttleFloorMs?: number;
}

export interface RetryDeps {
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Which failures to retry; the default retries throttled, transient and in-doubt ones. */
  retryOn?: (kind: FailureKind) => boolean;
  /** Called before each pause (for logs and figures). */
  onRetry?: (info: { attempt: number; kind: FailureKind; delayMs: number; error: unknown }) => void;
}

export const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The delay before retry `attempt` (1-based) under `policy`, with full jitter. */
export function backoffDelay(policy: RetryPolicy, attempt: number, kind: FailureKind, random = Math.random) {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(random() * ceiling);
  return kind === "throttled" ? Math.max(jittered, policy.throttleFloorMs ?? 0) : jittered;
}

/** Runs `call` until it succeeds, a failure is not retryable, or the attempts are used up (then rethrows). */
export async function withRetry<T>(
  call: () => Promise<T>,
  policy: RetryPolicy,
  deps: RetryDeps = {},
): Promise<T> {
  const sleep = deps.sleep ?? defaultSleep;
  const retryOn = deps.retryOn ?? ((kind: FailureKind) => kind !== "permanent");
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const kind = classifyFailure(error);
      if (attempt >= policy.attempts || !retryOn(kind)) throw error;
      const delayMs = backoffDelay(policy, attempt, kind, deps.random);
      deps.onRetry?.({ attempt, kind, delayMs, error });
      await sleep(delayMs);
    }
  }
}
