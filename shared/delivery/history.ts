/** Per-subscriber history of papers sent: a paper goes to a reader once (a newer version only when asked). */
import type { ObjectStore } from "../ports/index.js";
import { deliveryKeys } from "./keys.js";
import { readJsonObject } from "./retrying-store.js";

export interface SentPaper {
  /** arXiv version sent, when known. */
  version?: number;
  /** Run date it was sent on, YYYY-MM-DD. */
  date: string;
}

export interface PaperHistory {
  papers: Record<string, SentPaper>;
}

/** How many papers a history keeps (oldest dropped first): bounds the object whatever the years. */
export const HISTORY_LIMIT = 5000;

/** A subscriber's history; empty when none was recorded or the object is unreadable. */
export async function readHistory(store: ObjectStore, subscriberId: string): Promise<PaperHistory> {
  const raw = await readJsonObject(store, deliveryKeys.history(subscriberId));
  const papers: Record<string, SentPaper> = {};
  const stored = raw?.papers;
  if (typeof stored === "object" && stored !== null) {
    for (const [id, entry] of Object.entries(stored as Record<string, unknown>)) {
      if (typeof entry !== "object" || entry === null) continue;
      const { version, date } = entry as { version?: unknown; date?: unknown };
      if (typeof date !== "string") continue;
      papers[id] = typeof version === "number" ? { version, date } : { date };
    }
  }
  return { papers };
}

/** The history with `sent` added for `date` (pure; keeps the newest HISTORY_LIMIT entries). */
export function addToHistory(
  history: PaperHistory,
  date: string,
  sent: readonly { id: string; version?: number }[],
): PaperHistory {
  const papers: Record<string, SentPaper> = { ...history.papers };
  for (const paper of sent) {
    papers[paper.id] = paper.version === undefined ? { date } : { version: paper.version, date };
  }
  const entries = Object.entries(papers);
  if (entries.length <= HISTORY_LIMIT) return { papers };
  entries.sort((a, b) => b[1].date.localeCompare(a[1].date));
  return { papers: Object.fromEntries(entries.slice(0, HISTORY_LIMIT)) };
}

/** Records papers sent on `date` (read-modify-write; one writer per subscriber at a time). */
export async function recordSentPapers(
  store: ObjectStore,
  subscriberId: string,
  date: string,
  sent: readonly { id: string; version?: number }[],
): Promise<void> {
  const next = addToHistory(await readHistory(store, subscriberId), date, sent);
  await store.put(deliveryKeys.history(subscriberId), JSON.stringify(next), "application/json");
}

/**
 * Paper ids not to send again on `date`: sent on an earlier date, unless `resendNewVersions` and the
 * paper now carries a higher version than the one sent. Entries of `date` itself are ignored, so a
 * re-run of a date rebuilds the same digest.
 */
export function alreadySentIds(
  history: PaperHistory,
  date: string,
  current: ReadonlyMap<string, number | undefined>,
  resendNewVersions: boolean,
): Set<string> {
  const out = new Set<string>();
  for (const [id, entry] of Object.entries(history.papers)) {
    if (entry.date >= date) continue;
    const now = current.get(id);
    if (resendNewVersions && now !== undefined && (entry.version === undefined || now > entry.version))
      continue;
    out.add(id);
  }
  return out;
}
