import { describe, expect, it } from "vitest";
import { classifyFailure, describeFailure } from "../../shared/delivery/failures.js";
import { backoffDelay, withRetry } from "../../shared/delivery/retry.js";

const sdk = (name: string, status?: number, message = name) =>
  Object.assign(new Error(message), {
    name,
    $metadata: status === undefined ? {} : { httpStatusCode: status },
  });

describe("classifyFailure", () => {
  it.each([
    ["SES Throttling (400)", sdk("Throttling", 400, "Maximum sending rate exceeded."), "throttled"],
    ["S3 SlowDown (503)", sdk("SlowDown", 503), "throttled"],
    ["HTTP 429", sdk("TooManyRequests", 429), "throttled"],
    ["S3 InternalError (500)", sdk("InternalError", 500), "transient"],
    [
      "connection refused",
      Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
      "transient",
    ],
    ["SDK request timeout", sdk("TimeoutError"), "in-doubt"],
    ["socket reset", Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }), "in-doubt"],
    ["socket hang up", new Error("socket hang up"), "in-doubt"],
    ["SES MessageRejected (400)", sdk("MessageRejected", 400), "permanent"],
    ["a plain bug", new TypeError("x is undefined"), "permanent"],
    ["not an error at all", "boom", "permanent"],
    ["a timeout as the cause", new Error("send failed", { cause: sdk("TimeoutError") }), "in-doubt"],
  ])("%s → %s", (_name, error, kind) => {
    expect(classifyFailure(error)).toBe(kind);
  });

  it("describes an error on one line", () => {
    expect(describeFailure(new Error("a\r\nBcc: x"))).toBe("Error: a Bcc: x");
  });
});

describe("withRetry", () => {
  it("retries retryable failures with growing, jittered pauses, then gives up", async () => {
    const pauses: number[] = [];
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(sdk("InternalError", 500));
    };
    await expect(
      withRetry(
        failing,
        { attempts: 4, baseDelayMs: 100, maxDelayMs: 250 },
        {
          sleep: async (ms) => void pauses.push(ms),
          random: () => 1,
        },
      ),
    ).rejects.toThrow("InternalError");
    expect(calls).toBe(4);
    expect(pauses).toEqual([100, 200, 250]);
  });

  it("does not retry a permanent failure", async () => {
    let calls = 0;
    await expect(
      withRetry(
        () => {
          calls++;
          return Promise.reject(sdk("MessageRejected", 400));
        },
        { attempts: 5, baseDelayMs: 1, maxDelayMs: 1 },
      ),
    ).rejects.toThrow();
    expect(calls).toBe(1);
  });

  it("waits at least the throttle floor when throttled", () => {
    expect(
      backoffDelay(
        { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000, throttleFloorMs: 80 },
        1,
        "throttled",
        () => 0,
      ),
    ).toBe(80);
  });
});
