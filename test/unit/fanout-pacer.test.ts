import { describe, expect, it } from "vitest";
import { createSendPacer } from "../../shared/fanout/pacer.js";

/** A fake clock whose sleep advances time (optionally late, like a busy event loop). */
function fakeClock(lateMs = 0) {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms + lateMs;
    },
    stall: (ms: number) => {
      t += ms;
    },
  };
}

/** Most events in any half-open window [x, x + windowMs). */
function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[i] ?? 0) - (times[j] ?? 0) >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/** Sends a second from the first to the last. */
function rateOf(times: number[]): number {
  return ((times.length - 1) / ((times.at(-1) ?? 0) - (times[0] ?? 0))) * 1000;
}

describe("createSendPacer", () => {
  it.each([
    { rate: 10, cap: 10, windowMs: 1010 },
    { rate: 7, cap: 7, windowMs: 1010 },
    { rate: 12.5, cap: 12, windowMs: 1010 },
    { rate: 0.5, cap: 1, windowMs: 2010 },
  ])("$rate/s → $cap per $windowMs ms", ({ rate, cap, windowMs }) => {
    const pacer = createSendPacer(rate, fakeClock());
    expect([pacer.cap, pacer.windowMs]).toEqual([cap, windowMs]);
  });

  it("spreads sends evenly and never puts more than the cap in any window", async () => {
    // Prepare
    const clock = fakeClock();
    const pacer = createSendPacer(10, clock);
    const times: number[] = [];

    // Act: 40 concurrent callers
    await Promise.all(
      Array.from({ length: 40 }, () =>
        pacer.paced(async () => {
          times.push(clock.now());
        }),
      ),
    );

    // Assess
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(10);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeCloseTo(101, 5);
    expect(rateOf(times)).toBeGreaterThan(9.8);
  });

  it("after a stall catches up only as far as the window allows", async () => {
    // Prepare
    const clock = fakeClock();
    const pacer = createSendPacer(10, clock);
    const times: number[] = [];
    const send = () =>
      pacer.paced(async () => {
        times.push(clock.now());
      });
    for (let i = 0; i < 10; i++) await send();

    // Act: the event loop is blocked for 2.5 s, then 30 more sends
    clock.stall(2500);
    for (let i = 0; i < 30; i++) await send();

    // Assess
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(10);
  });

  it("keeps the rate when every sleep wakes late", async () => {
    // Prepare: each sleep overshoots by 7 ms (a busy machine)
    const clock = fakeClock(7);
    const pacer = createSendPacer(10, clock);
    const times: number[] = [];

    // Act
    for (let i = 0; i < 101; i++) {
      await pacer.paced(async () => {
        times.push(clock.now());
      });
    }

    // Assess: never over, and the catch-up keeps it within 10% of the rate
    const rate = rateOf(times);
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(10);
    expect(rate).toBeLessThanOrEqual(10);
    expect(rate).toBeGreaterThan(9);
  });

  it("passes a failed send's error on and serves the next caller", async () => {
    const pacer = createSendPacer(10, fakeClock());
    await expect(pacer.paced(() => Promise.reject(new Error("throttled")))).rejects.toThrow("throttled");
    await expect(pacer.paced(async () => "sent")).resolves.toBe("sent");
  });

  it("refuses a rate that is not positive", () => {
    expect(() => createSendPacer(0)).toThrow(RangeError);
  });
});
