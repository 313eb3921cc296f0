import { describe, expect, it } from "vitest";
import { createRateLimiter } from "../../shared/delivery/rate-limiter.js";

describe("createRateLimiter", () => {
  it("gives concurrent callers evenly spaced slots under the maximum rate", async () => {
    // Prepare: a clock stopped at t=0; each caller's start is the pause it was told to take.
    const starts: number[] = [];
    const limiter = createRateLimiter(4, {
      now: () => 0,
      sleep: async (ms) => void starts.push(ms),
    });

    // Act: 9 callers at once.
    await Promise.all(Array.from({ length: 9 }, () => limiter.take()));

    // Assess: the first goes at once, then one every 250 ms — never more than 4 in a second.
    expect(starts).toEqual([250, 500, 750, 1000, 1250, 1500, 1750, 2000]);
  });

  it("does not make a caller wait after a quiet period", async () => {
    let clock = 0;
    const pauses: number[] = [];
    const limiter = createRateLimiter(10, { now: () => clock, sleep: async (ms) => void pauses.push(ms) });
    await limiter.take();
    clock = 5000;
    await limiter.take();
    expect(pauses).toEqual([]);
  });

  it("rejects a rate that is not positive", () => {
    expect(() => createRateLimiter(0)).toThrow(RangeError);
  });
});
