/**
 * Papers already sent, per subscriber: a paper goes to a reader once (a newer version only when asked).
 * Kept in HISTORY_SHARDS objects (subscribers spread by a hash of their id), folded in once per mail run
 * from the day's sent markers and digests — two requests per shard, not two per subscriber. The fold
 * records the dates it applied, so folding a date again (a re-run) changes nothing.
 * Dangerous spot: two mail runs of different dates folding at the same moment can lose one's update.
 */
import { createHash } from "node:crypto";
import type { ObjectStore } from "../ports/index.js";
import { deliveryKeys } from "./keys.js";
import { mapLimit, readJsonObject } from "./retrying-store.js";

export interface SentPaper {
  /** arXiv version sent, when known. */
  version?: number;
  /** Run date it was sent on, YYYY-MM-DD. */
  date: string;
}

export interface PaperHistory {
  papers: Record<string, SentPaper>;
  /** Run dates already folded in (the latest few). */
  dates: string[];
}

interface HistoryShard {
  subscribers: Record<string, PaperHistory>;
}

export const HISTORY_SHARDS = 32;
/** Papers kept per subscriber (oldest dropped first): bounds a shard whatever the years. */
export const HISTORY_LIMIT = 5000;
const DATES_KEPT = 60;

/** The shard ("00".."1f") of a subscriber id. */
export function historyShard(subscriberId: string): string {
  const n = createHash("sha256").update(subscriberId).digest().readUInt32BE(0) % HISTORY_SHARDS;
  return n.toString(16).padStart(2, "0");
}

/** The histories of these subscribers (empty for those with none). */
export async function readHistories(
  store: ObjectStore,
  ids: readonly string[],
): Promise<Map<string, PaperHistory>> {
  const shards = [...new Set(ids.map(historyShard))];
  const loaded = await mapLimit(shards, 8, (shard) => readShard(store, shard));
  const byShard = new Map(shards.map((shard, i) => [shard, loaded[i]]));
  return new Map(ids.map((id) => [id, byShard.get(historyShard(id))?.subscribers[id] ?? emptyHistory()]));
}

/** Folds the papers each subscriber was sent on `date` into their history; subscribers already folded for it are skipped. */
export async function foldSentPapers(
  store: ObjectStore,
  date: string,
  sent: readonly { subscriberId: string; papers: readonly { id: string; version?: number }[] }[],
): Promise<number> {
  const byShard = new Map<string, typeof sent>();
  for (const entry of sent) {
    const shard = historyShard(entry.subscriberId);
    byShard.set(shard, [...(byShard.get(shard) ?? []), entry]);
  }
  const folded = await mapLimit([...byShard], 8, async ([shard, entries]) => {
    const current = await readShard(store, shard);
    let changed = 0;
    for (const entry of entries) {
      const history = current.subscribers[entry.subscriberId] ?? emptyHistory();
      if (history.dates.includes(date)) continue;
      current.subscribers[entry.subscriberId] = addToHistory(history, date, entry.papers);
      changed++;
    }
    if (changed > 0)
      await store.put(deliveryKeys.historyShard(shard), JSON.stringify(current), "application/json");
    return changed;
  });
  return folded.reduce((a, b) => a + b, 0);
}

/** The history with `sent` added for `date` (pure; keeps the newest HISTORY_LIMIT papers). */
export function addToHistory(
  history: PaperHistory,
  date: string,
  sent: readonly { id: string; version?: number }[],
): PaperHistory {
  const papers: Record<string, SentPaper> = { ...history.papers };
  for (const paper of sent) {
    papers[paper.id] = paper.version === undefined ? { date } : { version: paper.version, date };
  }
  const dates = [...new Set([...history.dates, date])].sort().slice(-DATES_KEPT);
  const entries = Object.entries(papers);
  if (entries.length <= HISTORY_LIMIT) return { papers, dates };
  entries.sort((a, b) => b[1].date.localeCompare(a[1].date));
  return { papers: Object.fromEntries(entries.slice(0, HISTORY_LIMIT)), dates };
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

function emptyHistory(): PaperHistory {
  return { papers: {}, dates: [] };
}

/** A shard as stored; anything unreadable in it is dropped rather than trusted. */
async function readShard(store: ObjectStore, shard: string): Promise<HistoryShard> {
  const raw = await readJsonObject(store, deliveryKeys.historyShard(shard));
  const subscribers: Record<string, PaperHistory> = {};
  const stored = raw?.subscribers;
  if (typeof stored !== "object" || stored === null) return { subscribers };
  for (const [id, value] of Object.entries(stored as Record<string, unknown>)) {
    if (typeof value !== "object" || value === null) continue;
    const { papers, dates } = value as { papers?: unknown; dates?: unknown };
    const history = emptyHistory();
    if (Array.isArray(dates)) history.dates = dates.filter((d): d is string => typeof d === "string");
    if (typeof papers === "object" && papers !== null) {
      for (const [pid, entry] of Object.entries(papers as Record<string, unknown>)) {
        if (typeof entry !== "object" || entry === null) continue;
        const { version, date } = entry as { version?: unknown; date?: unknown };
        if (typeof date !== "string") continue;
        history.papers[pid] = typeof version === "number" ? { version, date } : { date };
      }
    }
    subscribers[id] = history;
  }
  return { subscribers };
}
