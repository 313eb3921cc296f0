/** Run dates: YYYY-MM-DD, validated, and "today" in the configured timezone. */
import { UserInputError } from "../domain/errors.js";

/** A real calendar date "YYYY-MM-DD", or a UserInputError naming where it came from. */
export function parseRunDate(value: string, where = "--date"): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? new Date(`${value}T00:00:00Z`) : undefined;
  if (!match || !date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new UserInputError(`${where}: expected a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The calendar date of `now` in an IANA timezone. */
export function dateInTimeZone(now: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}
