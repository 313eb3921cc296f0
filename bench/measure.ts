/**
 * One measured run, in its own process so its peak RSS is its own: the real pipeline over a workload
 * (parse → merge → tag + personalize → render + MIME → outbox files, streamed), then the I/O floor
 * for the same input and output in the same process.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { OutboxMailer } from "../shared/adapters/outbox-mailer.js";
import { configSchema } from "../shared/config/schema.js";
import { mapLimit } from "../shared/delivery/retrying-store.js";
import { subscriberId } from "../shared/domain/subscriber.js";
import { type ComposeSetup, createComposer, outgoingMessage } from "../shared/pipeline/compose.js";
import { createComposerPool } from "../shared/pipeline/compose-pool.js";
import { mergePapers } from "../shared/pipeline/merge.js";
import { mailLanes, readSources, tagAndPersonalize } from "../shared/pipeline/stages.js";
import type { FeedFetcher } from "../shared/ports/index.js";
import { renderArchive } from "../shared/render/index.js";
import { BENCH_DATE, type WorkloadFiles } from "./workload.js";

/** Stage timings (ms) of the pipeline, in order. */
export interface StageTimes {
  parse: number;
  merge: number;
  tagPersonalize: number;
  /** The day's archive page (rendered once). */
  archive: number;
  /** Every reader's message composed (render + MIME) and written to the outbox, overlapped. */
  mail: number;
}

export interface RunResult {
  papers: number;
  subscribers: number;
  topics: number;
  /** Messages written (readers with nothing today get none, as with delivery.emptyDigest "skip"). */
  messages: number;
  stages: StageTimes;
  /** Worker threads that composed the messages (0: the main thread). */
  threads: number;
  totalMs: number;
  floorMs: number;
  floorReadMs: number;
  floorWriteMs: number;
  ratio: number;
  /** CPU time (user + system) of the pipeline and of the floor: less sensitive to a busy machine than wall time. */
  cpuMs: number;
  floorCpuMs: number;
  peakRssMb: number;
  outputMb: number;
  inputMb: number;
  /** Every run of this size when it was measured more than once (this one is their median). */
  runs?: { totalMs: number; floorMs: number; ratio: number }[];
  /** Cards actually shown (papers in at least one digest) and the mean papers per message. */
  papersShown: number;
  meanPapersPerMessage: number;
}

const noNetwork: FeedFetcher = {
  fetch: (url) => Promise.reject(new Error(`the benchmark reads files only, not ${url}`)),
};

/** Runs the pipeline, then the floor twice (the faster counts), and reports both. */
export async function measure(files: WorkloadFiles, scratch: string, threads: number): Promise<RunResult> {
  const sampler = startRssSampler();
  const config = configSchema.parse(JSON.parse(readFileSync(files.configFile, "utf8")));
  const unsubscribeKey = randomBytes(32);
  const outbox = join(scratch, "outbox");
  mkdirSync(outbox, { recursive: true });
  const mailer = new OutboxMailer(outbox);
  const sizes: number[] = [];
  // The composer is made first: worker threads (if any) load their modules while this one parses.
  const setup: ComposeSetup = {
    config,
    date: BENCH_DATE,
    notes: [],
    emptyNote: "",
    unsubscribe: { baseUrl: config.delivery.unsubscribeBaseUrl ?? "", key: unsubscribeKey },
  };
  settleDisk();
  const started = performance.now();
  const pool = threads > 0 ? createComposerPool(setup, { threads }) : undefined;
  pool?.warm();
  const composer = pool ?? createComposer(setup);
  const cpuStarted = process.cpuUsage();

  let t = performance.now();
  const raws = await readSources(config, BENCH_DATE, noNetwork, files.feeds);
  const failed = raws.filter((r) => !r.ok);
  if (failed.length > 0) throw new Error(`feed did not parse: ${failed[0]?.source}: ${failed[0]?.error}`);
  const parse = performance.now() - t;

  t = performance.now();
  const merged = mergePapers(raws.map((r) => r.papers));
  const merge = performance.now() - t;

  t = performance.now();
  const { tagged, digests } = tagAndPersonalize(config, BENCH_DATE, merged);
  const tagPersonalize = performance.now() - t;

  // Compose (render + MIME) as mailStage does, on `threads` worker threads (compose-pool.ts, as the CLI
  // does for a long list) or in this thread, and write each message to the outbox as soon as it is
  // ready: at most mailLanes(threads) messages exist at once, none is kept.
  const mailStarted = performance.now();
  t = performance.now();
  const archive = renderArchive(BENCH_DATE, tagged, config.topics);
  writeFileSync(join(outbox, "archive.html"), archive);
  sizes.push(Buffer.byteLength(archive));
  const archiveMs = performance.now() - t;
  const live = digests.filter((digest) => digest.items.length > 0);
  try {
    // As mailStage does in `paperboy run`: its lanes for this many threads, each composing and writing
    // one message at a time.
    await mapLimit(live, mailLanes(threads), async (digest) => {
      const email = digest.subscriber.email;
      const id = subscriberId(email);
      const composed = await composer.compose(digest, id);
      sizes.push(composed.size);
      await mailer.send(outgoingMessage(composed, { from: config.delivery.from, to: email, id }));
    });
  } finally {
    await composer.close();
  }
  const mailMs = performance.now() - mailStarted;
  const totalMs = performance.now() - started;
  const cpuMs = cpuMillis(cpuStarted);
  const stages: StageTimes = { parse, merge, tagPersonalize, archive: archiveMs, mail: mailMs - archiveMs };
  const peakRssMb = sampler.stop();
  // Bookkeeping for the report, after the clock stopped.
  const shown = new Set<string>();
  let items = 0;
  for (const digest of live) {
    for (const item of digest.items) shown.add(item.paper.id);
    items += digest.items.length;
  }

  rmSync(outbox, { recursive: true, force: true });
  const floors = [
    floor(files, sizes, join(scratch, "floor-a")),
    floor(files, sizes, join(scratch, "floor-b")),
  ];
  const best = floors.reduce((a, b) => (a.read + a.write <= b.read + b.write ? a : b));
  const floorCpuMs = Math.min(...floors.map((f) => f.cpuMs));
  const floorMs = best.read + best.write;
  const outputBytes = sizes.reduce((a, b) => a + b, 0);
  return {
    papers: merged.length,
    subscribers: config.subscribers.length,
    topics: config.topics.length,
    messages: sizes.length - 1,
    stages,
    threads,
    totalMs,
    floorMs,
    floorReadMs: best.read,
    floorWriteMs: best.write,
    ratio: totalMs / floorMs,
    cpuMs,
    floorCpuMs,
    peakRssMb,
    outputMb: outputBytes / 2 ** 20,
    inputMb: files.inputBytes / 2 ** 20,
    papersShown: shown.size,
    meanPapersPerMessage: items / Math.max(1, sizes.length - 1),
  };
}

/**
 * The floor: read and JSON-parse the same input (the feeds' items as JSON), then write the same number
 * of files with the same sizes, synchronously, one folder — no parsing, scoring, rendering or renames.
 */
function floor(
  files: WorkloadFiles,
  sizes: number[],
  dir: string,
): { read: number; write: number; cpuMs: number } {
  settleDisk();
  const cpu = process.cpuUsage();
  let t = performance.now();
  let items = 0;
  for (const path of files.floorInputs) {
    const value: unknown = JSON.parse(readFileSync(path, "utf8"));
    if (Array.isArray(value)) items += value.length;
  }
  const read = performance.now() - t;
  if (items === 0) throw new Error("floor read no items");
  mkdirSync(dir, { recursive: true });
  const largest = Math.max(...sizes);
  const body = Buffer.alloc(largest, "x");
  t = performance.now();
  sizes.forEach((size, i) => {
    writeFileSync(join(dir, `m${i}.eml`), body.subarray(0, size));
  });
  const write = performance.now() - t;
  const cpuMs = cpuMillis(cpu);
  rmSync(dir, { recursive: true, force: true });
  return { read, write, cpuMs };
}

/**
 * Flushes every dirty page before a timed phase, so neither the pipeline nor the floor pays for the
 * other's (or an earlier run's) writeback; neither phase flushes its own writes.
 */
function settleDisk(): void {
  spawnSync("sync", { stdio: "ignore" });
}

/** Peak resident set size in MB: the kernel's high-water mark (VmHWM), else the largest sample. */
function startRssSampler(): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 25);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      try {
        const status = readFileSync("/proc/self/status", "utf8");
        const hwm = /VmHWM:\s+(\d+)\s+kB/.exec(status);
        if (hwm?.[1]) peak = Math.max(peak, Number(hwm[1]) * 1024);
      } catch {
        // not Linux: the samples stand
      }
      return peak / 2 ** 20;
    },
  };
}

/** User + system CPU milliseconds since `since`. */
function cpuMillis(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}
