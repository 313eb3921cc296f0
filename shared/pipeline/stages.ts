/**
 * The three pipeline stages, shared by the CLI (folder + outbox) and the Lambdas (S3 + SES).
 * Each stage reads its input from the store and writes its output there, under the one key layout,
 * so a stage can be re-run alone for a date. Every store call is retried on transient errors.
 */
import { createClassifier, DEFAULT_THRESHOLD, explainMatch } from "../classify/index.js";
import type { PaperboyConfig } from "../config/schema.js";
import { alreadySentIds, foldEarlierSends, type PaperHistory, readHistories } from "../delivery/history.js";
import { subscriberHash } from "../delivery/keys.js";
import { createRateLimiter, type RateLimiter } from "../delivery/rate-limiter.js";
import type { RetryDeps } from "../delivery/retry.js";
import { mapLimit, retryingStore, STORE_RETRY } from "../delivery/retrying-store.js";
import {
  DEFAULT_IN_DOUBT_GRACE_MS,
  type DeliveryOutcome,
  deliverOnce,
  type InDoubtPolicy,
  loadDeliveryState,
  newRunToken,
  SEND_RETRY,
} from "../delivery/send-protocol.js";
import { loadSuppressed } from "../delivery/suppression.js";
import { keys } from "../domain/keys.js";
import type { Paper, ParseResult } from "../domain/paper.js";
import { subscriberId } from "../domain/subscriber.js";
import type { Digest, TaggedPaper } from "../domain/tagging.js";
import type { Clock, FeedFetcher, Mailer, ObjectStore, RunLog } from "../ports/index.js";
import { silentLog } from "../ports/index.js";
import { renderArchive } from "../render/index.js";
import { fetchSources, loadFeedArg, type SourceResult } from "../sources/fetch-sources.js";
import { safeHttpsUrl } from "../sources/text.js";
import { type Composer, type ComposeSetup, createComposer, outgoingMessage } from "./compose.js";
import { decodeDigestsFile, encodeDigestsFile } from "./digests-file.js";
import { mergePapers } from "./merge.js";
import { personalize } from "./personalize.js";

/** What one source gave on a date, as stored under raw/<date>/. */
export interface RawSource {
  source: string;
  url: string;
  ok: boolean;
  error?: string;
  format?: string;
  skipped: number;
  warnings: string[];
  papers: Paper[];
}

export interface SourceSummary {
  source: string;
  ok: boolean;
  papers: number;
  skipped: number;
  error?: string;
}

export interface FetchSummary {
  date: string;
  sources: SourceSummary[];
  papers: number;
}

/** Why a day has nothing (or less than usual) to send; reported in the summaries and in "note" emails. */
export interface QuietDay {
  kind: "weekend" | "no-announcements" | "stale" | "sources-missing" | "no-matches";
  reason: string;
}

export interface ClassifySummary {
  date: string;
  papersIn: number;
  merged: number;
  tagged: number;
  missingSources: string[];
  /** Sources that answered with no papers. */
  emptySources: string[];
  /** Sources that served the same papers as on an earlier date (left out today). */
  staleSources: string[];
  /** Set when the day has nothing new at all, with the reason. */
  quiet?: QuietDay;
  /** Papers left out because the reader already got them on an earlier day, in all digests. */
  repeatsLeftOut: number;
  digests: { subscriber: string; papers: number }[];
}

export interface MailSummary {
  date: string;
  sent: { subscriber: string; messageId: string; papers: number; paths?: string[] }[];
  /** Already sent earlier for this date (write-once marker present). */
  alreadySent: string[];
  /** Nothing for this reader today and the config says skip. */
  empty: string[];
  /** Unsubscribed, bounced or complained: nothing sent. */
  suppressed: string[];
  /** A send whose outcome is unknown (timeout after the request left); settled by a later run. */
  inDoubt: { subscriber: string; reason: string }[];
  failed: { subscriber: string; error: string }[];
  /** Sent, but something after the send went wrong (marker, history) or a setting is missing. */
  warnings: string[];
  /** Why there is nothing today, when that is the case. */
  quiet?: QuietDay;
}

/** The digests file the classify stage writes and the mail stage reads. */
export interface DigestsFile {
  date: string;
  missingSources: string[];
  emptySources?: string[];
  staleSources?: string[];
  quiet?: QuietDay;
  digests: Digest[];
}

export interface TaggedFile {
  date: string;
  sources: SourceSummary[];
  papers: TaggedPaper[];
}

/** Test and tuning knobs of the stages: a fake clock, the sleep used by retries and pacing. */
export interface StageRuntime {
  clock?: Clock;
  retry?: RetryDeps;
}

/** Reads every configured source (or the given feeds) for a date. One failing source never stops the others. */
export async function readSources(
  config: PaperboyConfig,
  date: string,
  fetcher: FeedFetcher,
  feeds?: string[],
): Promise<RawSource[]> {
  const results: SourceResult[] = feeds?.length
    ? await Promise.all(feeds.map((feed) => loadFeedArg(feed, fetcher)))
    : await fetchSources(config.sources, fetcher, date);
  const names = uniqueNames(results.map((r) => r.source));
  return results.map((result, i) => toRaw(result, names[i] ?? result.source));
}

/** Stage 1: sources (or the given feeds) → raw/<date>/<source>.json. */
export async function fetchStage(
  config: PaperboyConfig,
  date: string,
  deps: { store: ObjectStore; fetcher: FeedFetcher; log?: RunLog } & StageRuntime,
  options: { feeds?: string[] } = {},
): Promise<FetchSummary> {
  const log = deps.log ?? silentLog;
  const store = retryingStore(deps.store, STORE_RETRY, deps.retry);
  const raws = await readSources(config, date, deps.fetcher, options.feeds);
  const summaries: SourceSummary[] = [];
  for (const raw of raws) {
    await store.put(keys.raw(date, raw.source), JSON.stringify(raw), "application/json");
    const summary = summarize(raw);
    summaries.push(summary);
    if (raw.ok) log.info("source fetched", { ...summary });
    else log.warn("source failed", { ...summary });
  }
  return { date, sources: summaries, papers: summaries.reduce((n, s) => n + s.papers, 0) };
}

/** Earlier run dates whose sends are folded into the paper history (covers weekends and holidays). */
const HISTORY_LOOKBACK_DAYS = 7;

/** Days back a source's listing is compared with, to notice a feed serving an old batch again. */
const STALE_LOOKBACK_DAYS = 4;

/** Stage 2: raw papers → merged, tagged (results/<date>/tagged.json) and personalized (results/<date>/digests.json). */
export async function classifyStage(
  config: PaperboyConfig,
  date: string,
  deps: { store: ObjectStore; log?: RunLog } & StageRuntime,
  options: { resendNewVersions?: boolean } = {},
): Promise<ClassifySummary> {
  const log = deps.log ?? silentLog;
  const store = retryingStore(deps.store, STORE_RETRY, deps.retry);
  const raws = await readRaw(store, date);
  const staleSources = await findStaleSources(store, date, raws);
  const fresh = raws.filter((r) => r.ok && !staleSources.includes(r.source));
  const merged = mergePapers(fresh.map((r) => r.papers)).map(httpsOnly);
  const folded = await foldEarlierSends(
    store,
    Array.from({ length: HISTORY_LOOKBACK_DAYS }, (_, i) => shiftDate(date, -(i + 1))),
    (day) => digestPapersOf(store, day),
  );
  if (folded.folded > 0) log.info("paper history updated", { ...folded });
  const histories = await readHistories(
    store,
    config.subscribers.map((s) => subscriberId(s.email)),
  );
  const resendNewVersions =
    options.resendNewVersions ?? config.sources.some((s) => s.type === "arxiv" && s.includeReplacements);
  const result = tagAndPersonalize(config, date, merged, { histories, resendNewVersions });
  const missingSources = raws.filter((r) => !r.ok).map((r) => r.source);
  const emptySources = raws.filter((r) => r.ok && r.papers.length === 0).map((r) => r.source);
  const quiet = quietDay(date, raws, { merged: merged.length, staleSources, result });
  const taggedFile: TaggedFile = { date, sources: raws.map(summarize), papers: result.tagged };
  const digestsFile: DigestsFile = {
    date,
    missingSources,
    emptySources,
    staleSources,
    ...(quiet ? { quiet } : {}),
    digests: result.digests,
  };
  await store.put(keys.tagged(date), JSON.stringify(taggedFile), "application/json");
  await store.put(keys.digests(date), encodeDigestsFile(digestsFile), "application/json");
  // The day's archive page is rendered once here, where the tagged papers are in memory, not by every
  // mail run or fan-out batch.
  await store.put(
    keys.archive(date),
    renderArchive(date, result.tagged, config.topics),
    "text/html; charset=utf-8",
  );
  const summary: ClassifySummary = {
    date,
    papersIn: raws.reduce((n, r) => n + r.papers.length, 0),
    merged: merged.length,
    tagged: result.tagged.filter((t) => t.matches.length > 0).length,
    missingSources,
    emptySources,
    staleSources,
    ...(quiet ? { quiet } : {}),
    repeatsLeftOut: result.repeatsLeftOut,
    digests: result.digests.map((d) => ({ subscriber: d.subscriber.email, papers: d.items.length })),
  };
  for (const source of staleSources) log.warn("source served an earlier batch again", { source });
  for (const source of emptySources) log.warn("source had no papers", { source });
  if (quiet) log.warn("nothing new today", { ...quiet });
  log.info("papers classified", { ...summary, digests: summary.digests.length });
  return summary;
}

/** Per-subscriber histories (by subscriber id), for "a paper goes to a reader once". */
export type Histories = ReadonlyMap<string, PaperHistory>;

/** The pure core of stage 2: tag every paper once, then one digest per subscriber (papers sent on earlier days left out). */
export function tagAndPersonalize(
  config: PaperboyConfig,
  date: string,
  papers: Paper[],
  options: { histories?: Histories; resendNewVersions?: boolean } = {},
): { tagged: TaggedPaper[]; digests: Digest[]; repeatsLeftOut: number } {
  const threshold = config.ranking.threshold ?? DEFAULT_THRESHOLD;
  // Tag down to the lowest bar any reader asked for (subscribers[].minScore), so such a reader sees
  // matches between their bar and the shared one; what counts as "tagged" stays at the shared one.
  const lowest = Math.min(threshold, ...config.subscribers.map((s) => s.minScore ?? threshold));
  const candidates = createClassifier(config.topics, { threshold: lowest }).tag(papers);
  const tagged =
    lowest < threshold
      ? candidates.map((t) => ({ ...t, matches: t.matches.filter((m) => m.score >= threshold) }))
      : candidates;
  const versions = new Map(tagged.map((t) => [t.paper.id, t.paper.version]));
  let repeatsLeftOut = 0;
  const digests = config.subscribers.map((subscriber) => {
    const history = options.histories?.get(subscriberId(subscriber.email));
    const alreadySent = history
      ? alreadySentIds(history, date, versions, options.resendNewVersions ?? false)
      : undefined;
    const digest = personalize(candidates, subscriber, config.topics, {
      date,
      threshold,
      explain: explainMatch,
      ...(alreadySent ? { alreadySent } : {}),
    });
    if (alreadySent?.size) {
      const without = personalize(candidates, subscriber, config.topics, {
        date,
        threshold,
        explain: explainMatch,
      });
      repeatsLeftOut += without.items.filter((item) => alreadySent.has(item.paper.id)).length;
    }
    return digest;
  });
  return { tagged, digests, repeatsLeftOut };
}

export interface MailDeps extends StageRuntime {
  store: ObjectStore;
  mailer: Mailer;
  log?: RunLog;
  /** Signs the per-subscriber unsubscribe links (from Secrets Manager on AWS, `<out>/secret/unsubscribe.key` locally). */
  unsubscribeKey?: Buffer;
  /** The unsubscribe endpoint (on AWS the function URL, known only after deploy); else delivery.unsubscribeBaseUrl. */
  unsubscribeBaseUrl?: string;
}

/**
 * Messages in flight in the mail stage: 4 in this thread (SES calls overlap; the outbox writes are
 * synchronous, so more lanes only keep more half-done messages alive), or enough to keep `threads`
 * compose workers busy while this thread writes.
 */
export function mailLanes(threads: number): number {
  return threads > 0 ? 32 + threads * 32 : 4;
}

export interface MailOptions {
  subscribers?: string[];
  keepRendered?: boolean;
  /** Messages in flight at once (the pace is set by delivery.maxSendRate). Default mailLanes(0), 4. */
  concurrency?: number;
  /** What a later run does with a send that timed out and was never confirmed. Default "resend-after-grace". */
  inDoubt?: InDoubtPolicy;
  /** How long such a send is left alone. Default 15 minutes; 0 for an idempotent transport (the outbox). */
  inDoubtGraceMs?: number;
  /** Builds the composer of the run's messages; default in this thread (the CLI passes a worker pool). */
  composer?: (setup: ComposeSetup) => Composer;
}

/**
 * Stage 3: digests → rendered MIME → mailer, exactly once per subscriber and date (see
 * shared/delivery/send-protocol.ts): suppressed readers skipped, sending paced under
 * delivery.maxSendRate, throttling retried, one reader's failure recorded and the run goes on.
 */
export async function mailStage(
  config: PaperboyConfig,
  date: string,
  deps: MailDeps,
  options: MailOptions = {},
): Promise<MailSummary> {
  const log = deps.log ?? silentLog;
  const now = () => deps.clock?.now() ?? new Date();
  const store = retryingStore(deps.store, STORE_RETRY, deps.retry);
  const file = await readJson(store, keys.digests(date), decodeDigestsFile);
  const summary: MailSummary = {
    date,
    sent: [],
    alreadySent: [],
    empty: [],
    suppressed: [],
    inDoubt: [],
    failed: [],
    warnings: [],
    ...(file.quiet ? { quiet: file.quiet } : {}),
  };
  const unsubscribeBase = deps.unsubscribeBaseUrl ?? config.delivery.unsubscribeBaseUrl;
  const composer = (options.composer ?? createComposer)({
    config,
    date,
    notes: dayNotes(file),
    emptyNote: emptyNote(file),
    ...(unsubscribeBase && deps.unsubscribeKey
      ? { unsubscribe: { baseUrl: unsubscribeBase, key: deps.unsubscribeKey } }
      : {}),
    preview: true,
  });
  if (unsubscribeBase && !deps.unsubscribeKey) {
    summary.warnings.push(
      "delivery.unsubscribeBaseUrl is set but no signing key was given: no unsubscribe links",
    );
  }
  const only = options.subscribers ? new Set(options.subscribers.map((s) => s.toLowerCase())) : undefined;
  const digests = file.digests.filter((d) => !only || only.has(d.subscriber.email.toLowerCase()));
  // Each reader's id once (a SHA-256 each): the delivery state, the send and the summary use it.
  const ids = digests.map((d) => subscriberId(d.subscriber.email));
  const [state, suppressed] = await Promise.all([loadDeliveryState(store, date, ids), loadSuppressed(store)]);
  const delivery = {
    store,
    mailer: deps.mailer,
    limiter: deps.mailer.unpaced ? UNPACED : createRateLimiter(config.delivery.maxSendRate),
    now,
    runToken: newRunToken(),
    policy: options.inDoubt ?? "resend-after-grace",
    graceMs: options.inDoubtGraceMs ?? DEFAULT_IN_DOUBT_GRACE_MS,
    sendRetry: SEND_RETRY,
    ...(deps.retry ? { retryDeps: deps.retry } : {}),
  };

  type Result =
    | { kind: "skipped"; as: "suppressed" | "empty" }
    | { kind: "delivered"; outcome: DeliveryOutcome; papers: number }
    | { kind: "error"; error: string };
  const deliverOne = async (digest: Digest, at: number): Promise<Result> => {
    const email = digest.subscriber.email;
    const id = ids[at] as string;
    if (suppressed.has(id)) return { kind: "skipped", as: "suppressed" };
    if (state.sent.has(id)) return { kind: "delivered", outcome: { status: "already-sent" }, papers: 0 };
    if (digest.items.length === 0 && config.delivery.emptyDigest === "skip")
      return { kind: "skipped", as: "empty" };
    try {
      const composed = await composer.compose(digest, id);
      if (options.keepRendered) await store.put(keys.digestEml(date, id), composed.raw, "message/rfc822");
      const papers = digest.items.map((i) => ({
        id: i.paper.id,
        ...(i.paper.version === undefined ? {} : { version: i.paper.version }),
      }));
      const message = outgoingMessage(composed, { from: config.delivery.from, to: email, id });
      const outcome = await deliverOnce({ date, subscriberId: id, message, papers }, delivery, state);
      return { kind: "delivered", outcome, papers: papers.length };
    } catch (error) {
      return { kind: "error", error: error instanceof Error ? error.message : String(error) };
    }
  };

  const results = await mapLimit(
    digests,
    Math.max(1, options.concurrency ?? mailLanes(0)),
    deliverOne,
  ).finally(() => composer.close());
  digests.forEach((digest, i) => {
    const result = results[i];
    const email = digest.subscriber.email;
    const id = ids[i] as string;
    if (!result) return;
    if (result.kind === "skipped") {
      summary[result.as].push(email);
      log.info(result.as === "empty" ? "nothing today, no email" : "suppressed, no email", {
        subscriber: subscriberHash(id),
      });
      return;
    }
    if (result.kind === "error") {
      summary.failed.push({ subscriber: email, error: result.error });
      log.error("digest failed", { subscriber: subscriberHash(id), error: result.error });
      return;
    }
    const { outcome } = result;
    switch (outcome.status) {
      case "sent":
        summary.sent.push({
          subscriber: email,
          messageId: outcome.messageId,
          papers: result.papers,
          ...(outcome.paths ? { paths: outcome.paths } : {}),
        });
        if (outcome.warning) summary.warnings.push(`${email}: ${outcome.warning}`);
        log.info("digest sent", {
          subscriber: subscriberHash(id),
          papers: result.papers,
          attempt: outcome.attempt,
        });
        return;
      case "already-sent":
        summary.alreadySent.push(email);
        return;
      case "in-doubt":
        summary.inDoubt.push({ subscriber: email, reason: outcome.reason });
        log.warn("digest in doubt", { subscriber: subscriberHash(id), reason: outcome.reason });
        return;
      case "failed":
        summary.failed.push({ subscriber: email, error: outcome.error });
        log.error("digest failed", {
          subscriber: subscriberHash(id),
          kind: outcome.kind,
          error: outcome.error,
        });
        return;
    }
  });
  await store.put(keys.runSummary(date), JSON.stringify(runRecord(summary, file, now())), "application/json");
  return summary;
}

/** Each subscriber's papers in a date's digests (by subscriber id); empty when the file is missing. */
async function digestPapersOf(
  store: ObjectStore,
  date: string,
): Promise<Map<string, { id: string; version?: number }[]>> {
  const file = await readOptionalJson(store, keys.digests(date), decodeDigestsFile);
  return new Map(
    (file?.digests ?? []).map((digest) => [
      subscriberId(digest.subscriber.email),
      digest.items.map((i) => ({
        id: i.paper.id,
        ...(i.paper.version === undefined ? {} : { version: i.paper.version }),
      })),
    ]),
  );
}

/** What the run summary object records: counts and reasons, not message bodies. */
function runRecord(summary: MailSummary, file: DigestsFile, at: Date) {
  return {
    date: summary.date,
    at: at.toISOString(),
    missingSources: file.missingSources,
    emptySources: file.emptySources ?? [],
    staleSources: file.staleSources ?? [],
    ...(file.quiet ? { quiet: file.quiet } : {}),
    counts: { digests: file.digests.length, ...mailCounts(summary) },
    failed: summary.failed,
    inDoubt: summary.inDoubt,
    warnings: summary.warnings,
  };
}

/** Notes shown to every reader: sources that could not be read, or served an old batch. */
function dayNotes(file: DigestsFile): string[] {
  return [
    ...file.missingSources.map((s) => `Source ${s} could not be read today; its papers are missing.`),
    ...(file.staleSources ?? []).map(
      (s) => `Source ${s} served an earlier day's papers again; they are left out.`,
    ),
  ];
}

function emptyNote(file: DigestsFile): string {
  if (file.quiet) return file.quiet.reason;
  return file.missingSources.length > 0
    ? `Nothing matched your topics today; some sources were unavailable (${file.missingSources.join(", ")}).`
    : "Nothing new matched your topics today.";
}

/** Why the whole day is quiet, if it is: the first reason that applies, most specific first. */
function quietDay(
  date: string,
  raws: RawSource[],
  facts: { merged: number; staleSources: string[]; result: { digests: Digest[] } },
): QuietDay | undefined {
  if (facts.result.digests.some((d) => d.items.length > 0)) return undefined;
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
  if (facts.merged === 0) {
    if (weekday === 0 || weekday === 6) {
      return { kind: "weekend", reason: "arXiv announces no new papers on weekends; nothing to send today." };
    }
    if (raws.length > 0 && raws.every((r) => !r.ok)) {
      return {
        kind: "sources-missing",
        reason: "No source could be read today; the digest resumes when they answer.",
      };
    }
    if (facts.staleSources.length > 0) {
      return {
        kind: "stale",
        reason: `The sources served an earlier day's papers again (${facts.staleSources.join(", ")}); nothing new today.`,
      };
    }
    return {
      kind: "no-announcements",
      reason: "The sources announced no new papers today (a holiday, or a pause in arXiv's schedule).",
    };
  }
  return { kind: "no-matches", reason: "Nothing new matched your topics today." };
}

/** Sources whose paper ids today are exactly those of their latest earlier listing (a feed not yet updated). */
async function findStaleSources(store: ObjectStore, date: string, raws: RawSource[]): Promise<string[]> {
  const stale: string[] = [];
  for (const raw of raws) {
    if (!raw.ok || raw.papers.length === 0) continue;
    const today = new Set(raw.papers.map((p) => p.id));
    for (let back = 1; back <= STALE_LOOKBACK_DAYS; back++) {
      const earlier = await readOptionalJson<RawSource>(store, keys.raw(shiftDate(date, -back), raw.source));
      if (!earlier?.ok || !Array.isArray(earlier.papers) || earlier.papers.length === 0) continue;
      const ids = new Set(earlier.papers.map((p) => p.id));
      if (ids.size === today.size && [...today].every((id) => ids.has(id))) stale.push(raw.source);
      break;
    }
  }
  return stale;
}

/** The paper with every link that is not https dropped: a message never carries an http: link (item 5). */
function httpsOnly(paper: Paper): Paper {
  const links: Paper["links"] = {};
  for (const [name, url] of Object.entries(paper.links) as [keyof Paper["links"], string | undefined][]) {
    const safe = safeHttpsUrl(url);
    if (safe) links[name] = safe;
  }
  const thumbnail = safeHttpsUrl(paper.thumbnail);
  const { thumbnail: _dropped, ...rest } = paper;
  return { ...rest, links, ...(thumbnail ? { thumbnail } : {}) };
}

function shiftDate(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

async function readRaw(store: ObjectStore, date: string): Promise<RawSource[]> {
  const rawKeys = await store.list(keys.rawPrefix(date));
  return Promise.all(rawKeys.map((key) => readJson<RawSource>(store, key)));
}

/** Parses a stored text; `key` names the object in errors. */
type Parse<T> = (text: string, key: string) => T;
const parseJson = <T>(text: string): T => JSON.parse(text) as T;

async function readJson<T>(store: ObjectStore, key: string, parse: Parse<T> = parseJson): Promise<T> {
  const body = await store.get(key);
  if (!body) throw new MissingStageInputError(key);
  return parse(body.toString("utf8"), key);
}

/** The object, or undefined when it is missing or does not parse. */
async function readOptionalJson<T>(
  store: ObjectStore,
  key: string,
  parse: Parse<T> = parseJson,
): Promise<T | undefined> {
  const body = await store.get(key);
  if (!body) return undefined;
  try {
    return parse(body.toString("utf8"), key);
  } catch {
    return undefined;
  }
}

/** The limiter of a transport without a send quota (Mailer.unpaced): every call may go at once. */
const UNPACED: RateLimiter = { take: () => Promise.resolve() };

/** A stage ran before the stage that feeds it (e.g. mail before classify for that date). */
export class MissingStageInputError extends Error {
  override name = "MissingStageInputError";
  constructor(readonly key: string) {
    super(`missing ${key}: run the earlier stage for this date first`);
  }
}

function toRaw(result: SourceResult, source: string): RawSource {
  return {
    source,
    url: result.url,
    ok: result.ok,
    ...(result.error ? { error: result.error } : {}),
    ...(result.result ? { format: result.result.format } : {}),
    skipped: result.result?.skipped ?? 0,
    warnings: result.result?.warnings ?? [],
    papers: result.result?.papers ?? ([] as ParseResult["papers"]),
  };
}

export function summarize(raw: RawSource): SourceSummary {
  return {
    source: raw.source,
    ok: raw.ok,
    papers: raw.papers.length,
    skipped: raw.skipped,
    ...(raw.error ? { error: raw.error } : {}),
  };
}

/** Source names made unique ("rss", "rss-2") so each gets its own raw key. */
function uniqueNames(names: string[]): string[] {
  const counts = new Map<string, number>();
  return names.map((name) => {
    const n = (counts.get(name) ?? 0) + 1;
    counts.set(name, n);
    return n === 1 ? name : `${name}-${n}`;
  });
}

/** How many readers ended in each outcome of a mail run (logs, metrics, the run record). */
export function mailCounts(
  summary: MailSummary,
): Record<"sent" | "alreadySent" | "empty" | "suppressed" | "inDoubt" | "failed" | "warnings", number> {
  return {
    sent: summary.sent.length,
    alreadySent: summary.alreadySent.length,
    empty: summary.empty.length,
    suppressed: summary.suppressed.length,
    inDoubt: summary.inDoubt.length,
    failed: summary.failed.length,
    warnings: summary.warnings.length,
  };
}
