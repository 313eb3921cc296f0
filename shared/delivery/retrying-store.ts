/** An ObjectStore whose calls are retried on transient errors (5xx, throttling, timeouts); all four are idempotent. */
import type { ObjectStore } from "../ports/index.js";
import { type RetryDeps, type RetryPolicy, withRetry } from "./retry.js";

export const STORE_RETRY: RetryPolicy = { attempts: 8, baseDelayMs: 100, maxDelayMs: 5000 };

/**
 * Wraps a store. Safe because get/list read, put overwrites with the same bytes, and a retried putIfAbsent
 * whose first attempt landed answers false — callers of putIfAbsent must therefore compare the stored body
 * with their own when false matters (see claimAttempt in send-protocol.ts).
 */
export function retryingStore(store: ObjectStore, policy = STORE_RETRY, deps: RetryDeps = {}): ObjectStore {
  return {
    get: (key) => withRetry(() => store.get(key), policy, deps),
    put: (key, body, contentType) => withRetry(() => store.put(key, body, contentType), policy, deps),
    putIfAbsent: (key, body, contentType) =>
      withRetry(() => store.putIfAbsent(key, body, contentType), policy, deps),
    list: (prefix) => withRetry(() => store.list(prefix), policy, deps),
  };
}

/** Parses a JSON object stored under a key; undefined when absent or not a JSON object (never throws). */
export async function readJsonObject(
  store: ObjectStore,
  key: string,
): Promise<Record<string, unknown> | undefined> {
  const body = await store.get(key);
  if (!body) return undefined;
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `work` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
) {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
