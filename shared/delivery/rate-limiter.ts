/** Paces calls under a maximum rate (SES maximum send rate): each caller reserves the next free slot. */
import { defaultSleep } from "./retry.js";

export interface RateLimiter {
  /** Resolves when the caller may make one call. */
  take(): Promise<void>;
}

/** At most `perSecond` calls in any second, spread evenly; concurrent callers queue in arrival order. */
export function createRateLimiter(
  perSecond: number,
  deps: { now?: () => number; sleep?: (ms: number) => Promise<void> } = {},
): RateLimiter {
  if (!(perSecond > 0)) throw new RangeError(`rate must be positive, got ${perSecond}`);
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? defaultSleep;
  const interval = 1000 / perSecond;
  let nextFree = Number.NEGATIVE_INFINITY;
  return {
    async take() {
      const current = now();
      // Reserve synchronously so concurrent callers never share a slot.
      const slot = Math.max(current, nextFree);
      nextFree = slot + interval;
      const wait = slot - current;
      if (wait > 0) await sleep(wait);
    },
  };
}
