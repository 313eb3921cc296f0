/** Text shaping for the digest: dates, shortened titles and author lists, TL;DRs. Pure functions. */
import type { Paper } from "../domain/paper.js";
import { RenderError } from "./errors.js";
import { cleanText } from "./escape.js";

const ELLIPSIS = "…";

/** The UTC midnight of a YYYY-MM-DD date; throws RenderError for anything else. */
export function parseDay(date: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const day = match
    ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
    : undefined;
  if (!day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== date) {
    throw new RenderError(`render: expected a date YYYY-MM-DD, got "${date}"`);
  }
  return day;
}

const shortDay = new Intl.DateTimeFormat("en-GB", {
  weekday: "short",
  day: "numeric",
  month: "short",
  timeZone: "UTC",
});
const longDay = new Intl.DateTimeFormat("en-GB", {
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "UTC",
});

/** "Tue 18 Aug" */
export function formatShortDate(date: string): string {
  return shortDay.format(parseDay(date)).replace(",", "");
}

/** "Tuesday, 18 August 2026" */
export function formatLongDate(date: string): string {
  return longDay.format(parseDay(date));
}

const TRAILING_PUNCTUATION = /[\s,;:.\-–—([{/|&]+$/u;
const DANGLING_WORD =
  /\s(?:a|an|the|of|and|or|for|to|in|on|at|by|with|from|via|as|is|are|its|their|but|vs\.?)$/iu;

/**
 * The text cut to at most `max` characters (ellipsis included) at a word boundary, without a dangling
 * ":", "," or dash before the ellipsis; a single over-long word is cut hard.
 */
export function shortenAtWord(value: string, max: number): string {
  const text = cleanText(value);
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const head = chars.slice(0, max - 1).join("");
  const next = chars[max - 1] ?? "";
  // When the cut falls right after a whole word, keep the whole head.
  const lastSpace = /[\s,;:.!?)\]]/.test(next) ? head.length : head.lastIndexOf(" ");
  let cut = (lastSpace > max / 3 ? head.slice(0, lastSpace) : head).replace(TRAILING_PUNCTUATION, "");
  // "…the Evaluation of…" reads broken: drop dangling function words while enough text remains.
  for (let m = DANGLING_WORD.exec(cut); m && m.index > max / 2; m = DANGLING_WORD.exec(cut)) {
    cut = cut.slice(0, m.index).replace(TRAILING_PUNCTUATION, "");
  }
  return `${cut}${ELLIPSIS}`;
}

/** "Y. Ning" from "Yansong Ning"; names that are a single word or already short stay as they are. */
export function initialName(name: string): string {
  const parts = cleanText(name).split(" ").filter(Boolean);
  if (parts.length < 2) return parts.join(" ");
  const last = parts[parts.length - 1] ?? "";
  const initials = parts.slice(0, -1).map((part) =>
    part
      .split("-")
      .map((piece) => {
        const first = Array.from(piece)[0] ?? "";
        return /\p{Lu}/u.test(first) ? `${first}.` : piece;
      })
      .join("-"),
  );
  return [...initials, last].join(" ");
}

/**
 * "A. Author, B. Author, C. Author, … +5": all names when there are at most `show + 1`. Only the names
 * that can be shown are shortened; the rest are only counted (a name that cleans to nothing is none).
 */
export function shortenAuthors(authors: readonly string[], show = 3): string {
  const names: string[] = [];
  let count = 0;
  for (const author of authors) {
    if (names.length <= show) {
      const name = initialName(author);
      if (name) names.push(name);
    } else if (/[^ ]/.test(cleanText(author))) {
      count++;
    }
  }
  count += names.length;
  if (count <= show + 1) return names.join(", ");
  return `${names.slice(0, show).join(", ")}, … +${count - show}`;
}

// Abbreviations after which a period does not end a sentence.
const NO_SENTENCE_END =
  /(?:\b(?:e\.g|i\.e|et al|etc|vs|cf|Fig|Figs|Eq|Eqs|Sec|Tab|Ref|Refs|approx|resp|No|Dr|Prof|Mr|Ms|St)|\b\p{Lu})\.$/u;

/**
 * The text split into sentences, keeping "e.g.", "et al.", "3.5" and initials inside their sentence; with
 * `limit`, only the first `limit` sentences, each as the whole split gives it (the rest is not read).
 */
export function splitSentences(value: string, limit = Number.POSITIVE_INFINITY): string[] {
  const text = cleanText(value);
  const sentences: string[] = [];
  let start = 0;
  const boundary = /[.!?]["')\]]?\s+(?=["'([]?[\p{Lu}\p{N}])/gu;
  for (let m = boundary.exec(text); m && sentences.length < limit; m = boundary.exec(text)) {
    const end = m.index + m[0].trimEnd().length;
    const candidate = text.slice(start, end);
    if (NO_SENTENCE_END.test(candidate)) continue;
    sentences.push(candidate.trim());
    start = m.index + m[0].length;
  }
  if (sentences.length >= limit) return sentences;
  const rest = text.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences;
}

/**
 * The paper's TL;DR: the HF AI summary when there is one, else the abstract's first sentence (two when
 * the first is short), never longer than `max` characters and cut at a word boundary.
 */
export function tldr(paper: Pick<Paper, "aiSummary" | "abstract">, max = 320): string {
  const summary = paper.aiSummary ? cleanText(paper.aiSummary) : "";
  if (summary) return shortenAtWord(summary, max);
  const sentences = splitSentences(paper.abstract, 2);
  const first = sentences[0] ?? "";
  const second = sentences[1];
  const text =
    second && first.length < 160 && first.length + second.length + 1 <= max ? `${first} ${second}` : first;
  return shortenAtWord(text, max);
}

/** "1 paper", "7 papers" */
export function countPapers(count: number): string {
  return `${count} ${count === 1 ? "paper" : "papers"}`;
}

/** The subject line: "Paperboy · Tue 18 Aug · 7 papers — VibeWorlding: Can Multimodal Agents Construct 3D…". */
export function formatSubject(prefix: string, date: string, count: number, topTitle?: string): string {
  return subjectLine(
    subjectHead(prefix, date),
    count,
    topTitle ? shortenAtWord(topTitle, SUBJECT_TITLE_MAX) : "",
  );
}

/** Longest top-paper title in a subject line, ellipsis included. */
export const SUBJECT_TITLE_MAX = 50;

/** "Paperboy · Tue 18 Aug": the same for every reader of a day. */
export function subjectHead(prefix: string, date: string): string {
  return [cleanText(prefix), formatShortDate(date)].filter(Boolean).join(" · ");
}

/** The subject from its head, the paper count and the already shortened top title. */
export function subjectLine(head: string, count: number, shortTitle: string): string {
  if (count === 0) return `${head} · no new papers today`;
  return shortTitle ? `${head} · ${countPapers(count)} — ${shortTitle}` : `${head} · ${countPapers(count)}`;
}
