/**
 * A worker's send pacer: at most `cap` sends in any window of `windowMs`, spread evenly. Unlike a pure
 * schedule, a stalled event loop cannot release a burst afterwards (the window still holds the earlier
 * sends), so `workers` pacers together never exceed the account's rate in any window. Keep one per
 * container: it then also spans the boundary between two batches.
 */
import { performance } from "node:perf_hooks";
import type { Mailer } from "../ports/index.js";

/** Extra window length against jitter between the pacer's clock and the moment a request leaves. */
export const WINDOW_GUARD_MS = 10;

export interface SendPacer {
  /**
   * Calls `send` when one more send fits, callers in arrival order. The send is started in the same
   * tick as it is counted, so no other work can slip between the two and bunch sends up.
   */
  paced<T>(send: () => Promise<T>): Promise<T>;
  readonly cap: number;
  readonly windowMs: number;
}

export interface PacerDeps {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** A pacer for `perSecond` sends a second (fractions allowed: 0.5 = one send per 2 s window). */
export function createSendPacer(perSecond: number, deps: PacerDeps = {}): SendPacer {
  if (!(perSecond > 0)) throw new RangeError(`rate must be positive, got ${perSecond}`);
  // Sub-millisecond clock: with Date.now's whole milliseconds two sends 999.1 ms apart would look 1000 apart.
  const now = deps.now ?? (() => performance.now());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const seconds = Math.max(1, Math.ceil(1 / perSecond));
  const cap = Math.max(1, Math.floor(perSecond * seconds));
  // A little longer than the window SES counts in: the time a send leaves the process varies by a few
  // milliseconds after the pacer lets it go, which must not put cap + 1 sends into one server second.
  const windowMs = 1000 * seconds + WINDOW_GUARD_MS;
  const interval = windowMs / cap;
  const recent: number[] = [];
  let nextSlot = Number.NEGATIVE_INFINITY;
  let queue: Promise<void> = Promise.resolve();
  /** Waits until a send fits, then counts it at the current time; the caller must start it at once. */
  const turn = async () => {
    for (;;) {
      const t = now();
      while (recent.length > 0 && (recent[0] ?? 0) <= t - windowMs) recent.shift();
      const windowFree = recent.length < cap ? t : (recent[0] ?? t) + windowMs;
      const at = Math.max(windowFree, nextSlot);
      if (at <= t) {
        // The first send starts the schedule; later the schedule may catch up after a stall (a late
        // timer, a busy event loop), as far as the window above allows.
        nextSlot =
          recent.length === 0 && nextSlot === Number.NEGATIVE_INFINITY
            ? t + interval
            : Math.max(nextSlot + interval, t - windowMs + interval);
        recent.push(t);
        return;
      }
      await sleep(at - t);
    }
  };
  return {
    cap,
    windowMs,
    paced<T>(send: () => Promise<T>): Promise<T> {
      const before = queue;
      let release = () => {};
      queue = new Promise<void>((resolve) => {
        release = resolve;
      });
      return (async () => {
        try {
          await before;
          await turn();
          // Started before the next caller's turn and with no await between counting and starting.
          return send();
        } finally {
          release();
        }
      })();
    },
  };
}

/** The mailer with every send paced (retries included: each is a call to SES). */
export function pacedMailer(mailer: Mailer, pacer: SendPacer): Mailer {
  return {
    send: (message) => pacer.paced(() => mailer.send(message)),
  };
}
