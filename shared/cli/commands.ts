/** The CLI's commands: the imperative shell that wires the folder store, outbox and HTTP fetcher to the pipeline. */
import { isAbsolute, join, relative } from "node:path";
import { FolderStore } from "../adapters/fs-store.js";
import { HttpFeedFetcher } from "../adapters/http-fetcher.js";
import { OutboxMailer } from "../adapters/outbox-mailer.js";
import { loadConfigFile } from "../config/file.js";
import type { PaperboyConfig } from "../config/schema.js";
import { UserInputError } from "../domain/errors.js";
import { createComposerPool } from "../pipeline/compose-pool.js";
import { mergePapers } from "../pipeline/merge.js";
import {
  classifyStage,
  fetchStage,
  mailLanes,
  mailStage,
  type RawSource,
  readSources,
  summarize,
  tagAndPersonalize,
} from "../pipeline/stages.js";
import type { Mailer, RunLog } from "../ports/index.js";
import { silentLog } from "../ports/index.js";
import { startPreviewServer } from "../render/preview-server.js";
import { loadOrCreateLocalKey, localKeyPath } from "../unsubscribe/signing-key.js";
import { dateInTimeZone, parseRunDate } from "./dates.js";

interface RunOptions {
  config: string;
  feed?: string[];
  date?: string;
  out: string;
  send: boolean;
  verbose: boolean;
  threads?: string;
}

/** `paperboy run`: the whole pipeline for one date, into the local folder and outbox (or SES with --send). */
export async function runCommand(options: RunOptions): Promise<void> {
  const config = loadConfigFile(options.config);
  const date = runDate(config, options.date);
  const log = options.verbose ? stderrLog : silentLog;
  const store = new FolderStore(join(options.out, "store"));
  const outboxDir = join(options.out, "outbox", date);
  const mailer: Mailer = options.send ? await sesMailer() : new OutboxMailer(outboxDir);
  const fetcher = new HttpFeedFetcher();

  const fetched = await fetchStage(
    config,
    date,
    { store, fetcher, log },
    options.feed ? { feeds: options.feed } : {},
  );
  if (options.feed?.length && fetched.sources.every((s) => !s.ok)) {
    throw new UserInputError(fetched.sources[0]?.error ?? "no feed could be read");
  }
  const classified = await classifyStage(config, date, { store, log });
  // The outbox rewrites the same file on a resend, so an unconfirmed local send can be retried at once.
  // Unsubscribe links need a signing key: locally a secret file under --out, created on first use.
  const unsubscribeKey = config.delivery.unsubscribeBaseUrl
    ? await loadOrCreateLocalKey(localKeyPath(options.out))
    : undefined;
  const threads = composeThreads(options.threads);
  const mailed = await mailStage(
    config,
    date,
    { store, mailer, log, ...(unsubscribeKey ? { unsubscribeKey } : {}) },
    {
      ...(options.send ? {} : { inDoubtGraceMs: 0 }),
      // Enough messages in flight to keep every thread busy while the outbox writes.
      ...(threads > 0
        ? { composer: (setup) => createComposerPool(setup, { threads }), concurrency: mailLanes(threads) }
        : {}),
    },
  );

  const out: string[] = [`Paperboy run for ${date}`, "", "Sources:"];
  for (const s of fetched.sources) {
    out.push(
      s.ok
        ? `  ✓ ${s.source}: ${s.papers} papers${s.skipped ? ` (${s.skipped} entries skipped)` : ""}`
        : `  ✗ ${s.source}: ${s.error ?? "failed"}`,
    );
  }
  for (const source of classified.emptySources) out.push(`  · ${source}: no papers today`);
  for (const source of classified.staleSources)
    out.push(`  · ${source}: served an earlier day's papers again (left out)`);
  out.push(
    "",
    `Papers: ${classified.papersIn} read, ${classified.merged} after merging, ${classified.tagged} tagged with a topic` +
      (classified.repeatsLeftOut
        ? ` (${classified.repeatsLeftOut} already sent on earlier days left out)`
        : ""),
  );
  if (classified.quiet) out.push(`Quiet day: ${classified.quiet.reason}`);
  out.push("", `Digests (${options.send ? "sent through SES" : `outbox ${outboxDir}`}):`);
  for (const sent of mailed.sent) {
    const where = sent.paths?.map(displayPath).join("  ") ?? sent.messageId;
    out.push(`  ${sent.subscriber}: ${sent.papers} papers → ${where}`);
  }
  for (const email of mailed.alreadySent)
    out.push(`  ${email}: already delivered for ${date} (not sent again)`);
  for (const email of mailed.empty)
    out.push(`  ${email}: nothing on their topics today (no email, per delivery.emptyDigest)`);
  for (const email of mailed.suppressed) out.push(`  ${email}: unsubscribed or bounced (nothing sent)`);
  for (const doubt of mailed.inDoubt)
    out.push(`  ${doubt.subscriber}: outcome unknown (${doubt.reason}); a later run settles it`);
  for (const failed of mailed.failed) out.push(`  ${failed.subscriber}: FAILED — ${failed.error}`);
  for (const warning of mailed.warnings) out.push(`  warning: ${warning}`);
  if (!options.send && mailed.sent.length > 0) {
    out.push(
      "",
      `Open the .html files in a browser, or run: npm run paperboy -- preview --out ${options.out}`,
    );
  }
  process.stdout.write(`${out.join("\n")}\n`);
  if (mailed.failed.length > 0) process.exitCode = 1;
}

interface RankOptions {
  config: string;
  feed?: string[];
  date?: string;
  json: boolean;
}

/** `paperboy rank`: what each reader would get, and why. Sends and writes nothing. */
export async function rankCommand(options: RankOptions): Promise<void> {
  const config = loadConfigFile(options.config);
  const date = runDate(config, options.date);
  const raws = await readSources(config, date, new HttpFeedFetcher(), options.feed);
  if (options.feed?.length && raws.every((r) => !r.ok)) {
    throw new UserInputError(raws[0]?.error ?? "no feed could be read");
  }
  const papers = mergePapers(raws.filter((r) => r.ok).map((r) => r.papers));
  const { tagged, digests } = tagAndPersonalize(config, date, papers);
  if (options.json) {
    const result = {
      date,
      sources: raws.map(summarize),
      papers: tagged.map(({ paper, matches }) => ({
        id: paper.id,
        title: paper.title,
        tags: matches.map((m) => m.topicId),
      })),
      digests: digests.map((d) => ({
        subscriber: d.subscriber.email,
        papers: d.items.map((item) => ({
          id: item.paper.id,
          title: item.paper.title,
          score: round(item.score),
          topics: item.topics,
          why: item.why,
        })),
      })),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const out: string[] = [
    `Paperboy dry run for ${date}: ${papers.length} papers from ${describeSources(raws)}`,
  ];
  for (const digest of digests) {
    out.push(
      "",
      `${digest.subscriber.email} (${digest.subscriber.topics.join(", ")}): ${digest.items.length} papers`,
    );
    digest.items.forEach((item, i) => {
      out.push(`  ${i + 1}. [${round(item.score).toFixed(2)}] ${item.paper.title} (${item.paper.id})`);
      out.push(`     ${item.topics.join(", ")} — ${item.why}`);
    });
    if (digest.items.length === 0) out.push("  (nothing above the threshold today)");
  }
  process.stdout.write(`${out.join("\n")}\n`);
}

/** `paperboy validate`: the config is fine, or one line naming the place. */
export async function validateCommand(options: { config: string }): Promise<void> {
  const config = loadConfigFile(options.config);
  process.stdout.write(
    `${options.config}: ok — ${config.sources.length} sources, ${config.topics.length} topics, ${config.subscribers.length} subscribers\n`,
  );
}

/**
 * --threads: worker threads that compose the messages; default none (the main thread composes). On the
 * 2-vCPU machines measured, workers did not make a 10,000-reader run faster (bench/RESULTS.md); on a
 * machine with many cores they can.
 */
function composeThreads(flag: string | undefined): number {
  if (flag === undefined) return 0;
  const threads = Number(flag);
  if (!Number.isInteger(threads) || threads < 0 || threads > 64) {
    throw new UserInputError(`--threads: expected a whole number 0-64, got ${JSON.stringify(flag)}`);
  }
  return threads;
}

/** `paperboy preview`: serve the local digests and archive on localhost until interrupted. */
export async function previewCommand(options: { out: string; port: string }): Promise<void> {
  const port = Number.parseInt(options.port, 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UserInputError(`--port: expected a port number 0-65535, got ${JSON.stringify(options.port)}`);
  }
  const server = await startPreviewServer(options.out, port);
  process.stdout.write(`Serving ${options.out} at ${server.url} — press Ctrl-C to stop\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.close();
}

function runDate(config: PaperboyConfig, given: string | undefined): string {
  return given ? parseRunDate(given) : dateInTimeZone(new Date(), config.schedule.timezone);
}

function describeSources(raws: RawSource[]): string {
  return raws
    .map((r) => (r.ok ? `${r.source} (${r.papers.length})` : `${r.source} (failed: ${r.error})`))
    .join(", ");
}

/** A path relative to the working directory when it is inside it, else as given. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}

/** SES for `run --send` (credentials and region from the usual AWS environment; loaded only when asked for). */
async function sesMailer(): Promise<Mailer> {
  const { SesMailer } = await import("../adapters/ses-mailer.js");
  const configurationSet = process.env.PAPERBOY_SES_CONFIGURATION_SET;
  return new SesMailer(configurationSet ? { configurationSet } : {});
}

const stderrLog: RunLog = {
  info: (message, fields) =>
    process.stderr.write(`${JSON.stringify({ level: "INFO", message, ...fields })}\n`),
  warn: (message, fields) =>
    process.stderr.write(`${JSON.stringify({ level: "WARN", message, ...fields })}\n`),
  error: (message, fields) =>
    process.stderr.write(`${JSON.stringify({ level: "ERROR", message, ...fields })}\n`),
};
