/**
 * The three pipeline stages, shared by the CLI (folder + outbox) and the Lambdas (S3 + SES).
 * Each stage reads its input from the store and writes its output there, under the one key layout,
 * so a stage can be re-run alone for a date.
 */
import { createClassifier, DEFAULT_THRESHOLD, explainMatch } from "../classify/index.js";
import type { PaperboyConfig } from "../config/schema.js";
import { keys } from "../domain/keys.js";
import type { Paper, ParseResult } from "../domain/paper.js";
import { subscriberId } from "../domain/subscriber.js";
import type { Digest, TaggedPaper } from "../domain/tagging.js";
import type { FeedFetcher, Mailer, ObjectStore, RunLog } from "../ports/index.js";
import { silentLog } from "../ports/index.js";
import { buildMessage, createDigestRenderer, renderArchive } from "../render/index.js";
import { fetchSources, loadFeedArg, type SourceResult } from "../sources/fetch-sources.js";
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

export interface ClassifySummary {
  date: string;
  papersIn: number;
  merged: number;
  tagged: number;
  missingSources: string[];
  digests: { subscriber: string; papers: number }[];
}

export interface MailSummary {
  date: string;
  sent: { subscriber: string; messageId: string; papers: number; paths?: string[] }[];
  /** Already sent earlier for this date (write-once marker present). */
  alreadySent: string[];
  /** Nothing for this reader today and the config says skip. */
  empty: string[];
  failed: { subscriber: string; error: string }[];
}

/** The digests file the classify stage writes and the mail stage reads. */
export interface DigestsFile {
  date: string;
  missingSources: string[];
  digests: Digest[];
}

export interface TaggedFile {
  date: string;
  sources: SourceSummary[];
  papers: TaggedPaper[];
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
  deps: { store: ObjectStore; fetcher: FeedFetcher; log?: RunLog },
  options: { feeds?: string[] } = {},
): Promise<FetchSummary> {
  const log = deps.log ?? silentLog;
  const raws = await readSources(config, date, deps.fetcher, options.feeds);
  const summaries: SourceSummary[] = [];
  for (const raw of raws) {
    await deps.store.put(keys.raw(date, raw.source), JSON.stringify(raw), "application/json");
    const summary = summarize(raw);
    summaries.push(summary);
    if (raw.ok) log.info("source fetched", { ...summary });
    else log.warn("source failed", { ...summary });
  }
  return { date, sources: summaries, papers: summaries.reduce((n, s) => n + s.papers, 0) };
}

/** Stage 2: raw papers → merged, tagged (results/<date>/tagged.json) and personalized (results/<date>/digests.json). */
export async function classifyStage(
  config: PaperboyConfig,
  date: string,
  deps: { store: ObjectStore; log?: RunLog },
): Promise<ClassifySummary> {
  const log = deps.log ?? silentLog;
  const raws = await readRaw(deps.store, date);
  const merged = mergePapers(raws.filter((r) => r.ok).map((r) => r.papers));
  const tagged = tagAndPersonalize(config, date, merged);
  const missingSources = raws.filter((r) => !r.ok).map((r) => r.source);
  const taggedFile: TaggedFile = { date, sources: raws.map(summarize), papers: tagged.tagged };
  const digestsFile: DigestsFile = { date, missingSources, digests: tagged.digests };
  await deps.store.put(keys.tagged(date), JSON.stringify(taggedFile), "application/json");
  await deps.store.put(keys.digests(date), JSON.stringify(digestsFile), "application/json");
  const summary: ClassifySummary = {
    date,
    papersIn: raws.reduce((n, r) => n + r.papers.length, 0),
    merged: merged.length,
    tagged: tagged.tagged.filter((t) => t.matches.length > 0).length,
    missingSources,
    digests: tagged.digests.map((d) => ({ subscriber: d.subscriber.email, papers: d.items.length })),
  };
  log.info("papers classified", { ...summary, digests: summary.digests.length });
  return summary;
}

/** The pure core of stage 2: tag every paper once, then one digest per subscriber. */
export function tagAndPersonalize(
  config: PaperboyConfig,
  date: string,
  papers: Paper[],
): { tagged: TaggedPaper[]; digests: Digest[] } {
  const classifier = createClassifier(config.topics, { threshold: config.ranking.threshold });
  const tagged = classifier.tag(papers);
  const threshold = config.ranking.threshold ?? DEFAULT_THRESHOLD;
  const digests = config.subscribers.map((subscriber) =>
    personalize(tagged, subscriber, config.topics, { date, threshold, explain: explainMatch }),
  );
  return { tagged, digests };
}

/** Stage 3: digests → rendered MIME → mailer, once per subscriber and date (write-once marker). */
export async function mailStage(
  config: PaperboyConfig,
  date: string,
  deps: { store: ObjectStore; mailer: Mailer; log?: RunLog },
  options: { subscribers?: string[]; keepRendered?: boolean } = {},
): Promise<MailSummary> {
  const log = deps.log ?? silentLog;
  const file = await readJson<DigestsFile>(deps.store, keys.digests(date));
  const tagged = await readJson<TaggedFile>(deps.store, keys.tagged(date));
  const archiveUrl = config.delivery.archiveBaseUrl
    ? new URL(keys.archive(date), withSlash(config.delivery.archiveBaseUrl)).toString()
    : undefined;
  await deps.store.put(
    keys.archive(date),
    renderArchive(date, tagged.papers, config.topics),
    "text/html; charset=utf-8",
  );
  const notes = file.missingSources.map(
    (s) => `Source ${s} could not be read today; its papers are missing.`,
  );
  const renderer = createDigestRenderer({
    date,
    topics: config.topics,
    from: config.delivery.from,
    ...(config.delivery.replyTo ? { replyTo: config.delivery.replyTo } : {}),
    subjectPrefix: config.delivery.subjectPrefix,
    ...(archiveUrl ? { archiveUrl } : {}),
    notes,
  });
  const only = options.subscribers ? new Set(options.subscribers.map((s) => s.toLowerCase())) : undefined;
  const summary: MailSummary = { date, sent: [], alreadySent: [], empty: [], failed: [] };
  for (const digest of file.digests) {
    const email = digest.subscriber.email;
    if (only && !only.has(email.toLowerCase())) continue;
    const id = subscriberId(email);
    try {
      if (digest.items.length === 0 && config.delivery.emptyDigest === "skip") {
        summary.empty.push(email);
        continue;
      }
      if (await deps.store.get(keys.sentMarker(date, id))) {
        summary.alreadySent.push(email);
        continue;
      }
      const note = digest.items.length === 0 ? emptyNote(file) : undefined;
      const rendered = renderer.render(digest, note ? { note } : {});
      const raw = await buildMessage(rendered, {
        from: config.delivery.from,
        to: email,
        ...(config.delivery.replyTo ? { replyTo: config.delivery.replyTo } : {}),
        date,
      });
      if (options.keepRendered) await deps.store.put(keys.digestEml(date, id), raw, "message/rfc822");
      const result = await deps.mailer.send({
        from: config.delivery.from,
        to: email,
        raw,
        id,
        html: rendered.html,
      });
      await deps.store.putIfAbsent(
        keys.sentMarker(date, id),
        JSON.stringify({ messageId: result.messageId, papers: digest.items.map((i) => i.paper.id) }),
        "application/json",
      );
      summary.sent.push({
        subscriber: email,
        messageId: result.messageId,
        papers: digest.items.length,
        ...(result.paths ? { paths: result.paths } : {}),
      });
      log.info("digest sent", { subscriber: id, papers: digest.items.length });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      summary.failed.push({ subscriber: email, error: message });
      log.error("digest failed", { subscriber: id, error: message });
    }
  }
  return summary;
}

function emptyNote(file: DigestsFile): string {
  return file.missingSources.length > 0
    ? `Nothing matched your topics today; some sources were unavailable (${file.missingSources.join(", ")}).`
    : "Nothing matched your topics today. arXiv announces no papers on weekends and holidays.";
}

async function readRaw(store: ObjectStore, date: string): Promise<RawSource[]> {
  const rawKeys = await store.list(keys.rawPrefix(date));
  return Promise.all(rawKeys.map((key) => readJson<RawSource>(store, key)));
}

async function readJson<T>(store: ObjectStore, key: string): Promise<T> {
  const body = await store.get(key);
  if (!body) throw new MissingStageInputError(key);
  return JSON.parse(body.toString("utf8")) as T;
}

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

function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}
