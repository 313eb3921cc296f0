/**
 * Papers already sent, per subscriber: a paper goes to a reader once (a newer version only when asked).
 * Kept in HISTORY_SHARDS objects (subscribers spread by a hash of their id). The classify stage — one
 * run per date, never concurrent with itself — folds in the sends of the preceding days from their sent
 * markers and digests, so the mail stage (which may run as many parallel workers) never writes here.
 * Each subscriber's history records the dates folded, so folding a date again changes nothing, and a
 * late send (an in-doubt one settled hours later) is picked up by the next classify run.
 */
import { hash } from "node:crypto";
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
  const n = hash("sha256", subscriberId, "buffer").readUInt32BE(0) % HISTORY_SHARDS;
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

/**
 * Folds into the histories every send of `dates` (earlier run dates) not folded yet: one list call per
 * date, one read per shard, the digests of a date only when it has unfolded sends, one write per shard
 * changed. `digestPapers(date)` gives each subscriber's papers in that date's digest.
 */
export async function foldEarlierSends(
  store: ObjectStore,
  dates: readonly string[],
  digestPapers: (date: string) => Promise<ReadonlyMap<string, readonly { id: string; version?: number }[]>>,
): Promise<{ folded: number; dates: string[] }> {
  const sentByDate = new Map<string, string[]>();
  for (const date of dates) {
    const prefix = deliveryKeys.sentPrefix(date);
    const ids = (await store.list(prefix))
      .map((key) => key.slice(prefix.length))
      .filter((name) => name.endsWith(".json") && !name.includes("/"))
      .map((name) => name.slice(0, -".json".length));
    if (ids.length > 0) sentByDate.set(date, ids);
  }
  const allIds = [...new Set([...sentByDate.values()].flat())];
  const shardNames = [...new Set(allIds.map(historyShard))];
  const loaded = await mapLimit(shardNames, 8, (shard) => readShard(store, shard));
  const shards = new Map(shardNames.map((shard, i) => [shard, loaded[i] ?? { subscribers: {} }]));
  const changed = new Set<string>();
  const foldedDates: string[] = [];
  let folded = 0;
  for (const [date, ids] of sentByDate) {
    const missing = ids.filter((id) => !shards.get(historyShard(id))?.subscribers[id]?.dates.includes(date));
    if (missing.length === 0) continue;
    const papers = await digestPapers(date);
    for (const id of missing) {
      const shard = historyShard(id);
      const current = shards.get(shard) ?? { subscribers: {} };
      current.subscribers[id] = addToHistory(
        current.subscribers[id] ?? emptyHistory(),
        date,
        papers.get(id) ?? [],
      );
      shards.set(shard, current);
      changed.add(shard);
      folded++;
    }
    foldedDates.push(date);
  }
  await mapLimit([...changed], 8, (shard) =>
    store.put(deliveryKeys.historyShard(shard), JSON.stringify(shards.get(shard)), "application/json"),
  );
  return { folded, dates: foldedDates };
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
