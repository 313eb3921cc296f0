/** The run request a Paperboy Lambda receives: which date to work on (and, for mail, which readers). */
import * as z from "zod";
import { dateInTimeZone, parseRunDate } from "../../shared/cli/dates.js";
import { UserInputError } from "../../shared/domain/errors.js";

/** An event that does not name a run date; retrying it cannot help. */
export class RunRequestError extends UserInputError {
  override name = "RunRequestError";
}

export interface RunRequest {
  /** Calendar date YYYY-MM-DD of the run, in the configured timezone. */
  date: string;
  /** Only these readers (mail stage, manual re-runs). */
  subscribers?: string[];
}

/**
 * The schedule sends `{ "date": "<aws.scheduler.scheduled-time>" }` (an ISO instant) and a person sends
 * `{ "date": "YYYY-MM-DD" }`; both pass through the state machine unchanged. The date never comes
 * from the clock, so a retry or a re-run hours later does the same day's work.
 */
const runEventSchema = z.looseObject({
  date: z.union([z.iso.date(), z.iso.datetime({ offset: true })]),
  subscribers: z.array(z.email()).min(1).optional(),
});

export function parseRunRequest(event: unknown, timeZone: string): RunRequest {
  const parsed = runEventSchema.safeParse(event);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = ["event", ...(issue?.path ?? [])].join(".");
    throw new RunRequestError(
      `${where}: ${issue?.message ?? "invalid event"}; expected {"date": "YYYY-MM-DD"} or the schedule's ISO time`,
    );
  }
  const { date, subscribers } = parsed.data;
  const day =
    date.length === 10 ? parseRunDate(date, "event.date") : dateInTimeZone(new Date(date), timeZone);
  return { date: day, ...(subscribers ? { subscribers } : {}) };
}
