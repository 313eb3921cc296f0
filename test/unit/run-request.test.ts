/** The run date of a Lambda event: from the schedule's instant in the configured timezone, or given by hand. */
import { describe, expect, it } from "vitest";
import { parseRunRequest, RunRequestError } from "../../functions/common/run-request.js";

describe("parseRunRequest", () => {
  it.each([
    ["a manual date", { date: "2026-08-18" }, "UTC", "2026-08-18"],
    ["the schedule's UTC instant, in UTC", { date: "2026-08-18T07:00:00Z" }, "UTC", "2026-08-18"],
    [
      "an instant just after midnight in Berlin",
      { date: "2026-08-17T22:30:00Z" },
      "Europe/Berlin",
      "2026-08-18",
    ],
    [
      "an instant still the day before in New York",
      { date: "2026-08-18T03:00:00Z" },
      "America/New_York",
      "2026-08-17",
    ],
    ["an instant with an offset", { date: "2026-08-18T00:30:00+02:00" }, "UTC", "2026-08-17"],
    [
      "extra fields from the state machine",
      { date: "2026-08-18", fetch: { summary: {} } },
      "UTC",
      "2026-08-18",
    ],
  ])("%s", (_name, event, timeZone, date) => {
    expect(parseRunRequest(event, timeZone).date).toBe(date);
  });

  it("passes the readers of a manual mail re-run", () => {
    expect(parseRunRequest({ date: "2026-08-18", subscribers: ["ada@example.org"] }, "UTC")).toEqual({
      date: "2026-08-18",
      subscribers: ["ada@example.org"],
    });
  });

  it.each([
    ["no event", undefined],
    ["no date", {}],
    ["a word", { date: "yesterday" }],
    ["an impossible day", { date: "2026-02-30" }],
    ["an instant without a zone", { date: "2026-08-18T07:00:00" }],
    ["a bad reader address", { date: "2026-08-18", subscribers: ["ada"] }],
  ])("refuses %s with a RunRequestError", (_name, event) => {
    expect(() => parseRunRequest(event, "UTC")).toThrow(RunRequestError);
  });
});
