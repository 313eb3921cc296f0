/**
 * The composer of compose.ts on worker threads, for a long reader list on a machine with several cores
 * (the CLI and the benchmark; on AWS the SQS fan-out spreads readers over Lambdas instead). Each worker
 * builds the same composer from the same setup. A digest travels as numbers: papers, why-lines and topic
 * lists are interned once per run and each reaches a worker once, so a worker neither rebuilds objects
 * nor re-hashes strings per message (that cost more than the composing, measured). The finished message
 * comes back as a transferred buffer (no copy).
 *
 * A failed message rejects only its own compose(); a worker that dies rejects what it held and the
 * pool goes on with the others, then in this thread when none is left.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Paper } from "../domain/paper.js";
import type { Digest } from "../domain/tagging.js";
import { type ComposedMessage, type Composer, type ComposeSetup, createComposer } from "./compose.js";

/**
 * A digest as sent to a worker: the reader, then per item [paper, score, topic list, why-line], each a
 * number into the tables the worker was sent (papers; strings, where a list is its items joined by NUL).
 */
export interface CompactDigest {
  date: string;
  email: string;
  name?: string;
  topics: number;
  items: number[];
}

/** One batch each way: a message per digest would cost more in posting than in composing. */
export type ToWorker = {
  jobs: { job: number; digest: CompactDigest }[];
  /** Table entries the worker has not seen yet, appended in order. */
  papers: Paper[];
  strings: string[];
};
export type FromWorker = {
  results: (
    | { job: number; raw: Uint8Array; html?: Uint8Array; unsubscribeUrl?: string }
    | { job: number; error: string }
  )[];
};

/** Digests posted to a worker at once (more wait for the next turn of the event loop). */
const BATCH = 32;

export interface PoolOptions {
  /** Worker threads (at least 1); default: defaultThreads(), at least 1. */
  threads?: number;
  /** Another worker entry (plain JavaScript), for tests of a worker that fails. */
  workerScript?: URL;
}

interface Waiting {
  digest: Digest;
  resolve: (m: ComposedMessage) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  /** How much of the pool's paper and string tables this worker has been sent. */
  papersSent: number;
  stringsSent: number;
  pending: Map<number, Waiting>;
  /** Not posted yet: flushed at BATCH, or on the next turn of the event loop. */
  queue: ToWorker;
  flushScheduled: boolean;
  alive: boolean;
}

/** Worker threads worth starting here: one per core but the main thread's, at most 8 (0 on one core). */
export function defaultThreads(): number {
  return Math.max(0, Math.min(8, availableParallelism() - 1));
}

export interface ComposerPool extends Composer {
  /** Starts every thread now (they load their modules while this thread does other work). */
  warm(): void;
  /** Messages composed on worker threads and in this thread (after a worker died, or none could start). */
  stats(): { threads: number; onWorkers: number; here: number; workerFailures: number };
}

/** A composer that spreads messages over worker threads (ready as soon as it is made; threads start lazily). */
export function createComposerPool(setup: ComposeSetup, options: PoolOptions = {}): ComposerPool {
  const threads = Math.max(1, options.threads ?? defaultThreads());
  const slots: Slot[] = [];
  let local: Composer | undefined;
  let job = 0;
  let closed = false;
  const counts = { onWorkers: 0, here: 0, workerFailures: 0 };
  const inThisThread = (digest: Digest) => {
    counts.here += 1;
    local ??= createComposer(setup);
    return local.compose(digest);
  };

  const start = (): Slot => {
    const worker = options.workerScript
      ? new Worker(options.workerScript, { workerData: setup })
      : startWorker(setup);
    const slot: Slot = {
      worker,
      papersSent: 0,
      stringsSent: 0,
      pending: new Map(),
      queue: { jobs: [], papers: [], strings: [] },
      flushScheduled: false,
      alive: true,
    };
    worker.on("message", ({ results }: FromWorker) => {
      for (const result of results) {
        const waiting = slot.pending.get(result.job);
        if (!waiting) continue;
        slot.pending.delete(result.job);
        if ("error" in result) {
          waiting.reject(new Error(result.error));
          continue;
        }
        counts.onWorkers += 1;
        const raw = toBuffer(result.raw);
        waiting.resolve({
          raw,
          size: raw.length,
          ...(result.html ? { html: toBuffer(result.html) } : {}),
          ...(result.unsubscribeUrl ? { unsubscribeUrl: result.unsubscribeUrl } : {}),
        });
      }
    });
    // Composing is pure, so what a dead worker held is composed again here: no message is lost.
    const fail = () => {
      if (slot.alive) counts.workerFailures += 1;
      slot.alive = false;
      for (const { digest, resolve, reject } of slot.pending.values()) {
        inThisThread(digest).then(resolve, reject);
      }
      slot.pending.clear();
      slot.queue = { jobs: [], papers: [], strings: [] };
    };
    worker.on("error", fail);
    worker.on("exit", () => {
      if (slot.alive && !closed) fail();
      slot.alive = false;
    });
    slots.push(slot);
    return slot;
  };

  /** The live worker with the least work, starting workers until there are `threads`. */
  const pick = (): Slot | undefined => {
    let best: Slot | undefined;
    for (const slot of slots) {
      if (slot.alive && (!best || slot.pending.size < best.pending.size)) best = slot;
    }
    if ((!best || best.pending.size > 0) && slots.length < threads) {
      try {
        return start();
      } catch {
        return best;
      }
    }
    return best;
  };

  const tables = createTables();
  const flush = (slot: Slot) => {
    slot.flushScheduled = false;
    if (!slot.alive || slot.queue.jobs.length === 0) return;
    const batch: ToWorker = {
      jobs: slot.queue.jobs,
      papers: tables.papers.slice(slot.papersSent),
      strings: tables.strings.slice(slot.stringsSent),
    };
    slot.papersSent = tables.papers.length;
    slot.stringsSent = tables.strings.length;
    slot.queue = { jobs: [], papers: [], strings: [] };
    slot.worker.postMessage(batch);
  };

  return {
    warm() {
      while (!closed && slots.length < threads) {
        try {
          start();
        } catch {
          return;
        }
      }
    },
    compose(digest) {
      if (closed) return Promise.reject(new Error("compose pool is closed"));
      const slot = pick();
      if (!slot) return inThisThread(digest);
      const id = ++job;
      slot.queue.jobs.push({ job: id, digest: tables.compact(digest) });
      const done = new Promise<ComposedMessage>((resolve, reject) => {
        slot.pending.set(id, { digest, resolve, reject });
      });
      if (slot.queue.jobs.length >= BATCH) flush(slot);
      else if (!slot.flushScheduled) {
        slot.flushScheduled = true;
        setImmediate(() => flush(slot));
      }
      return done;
    },
    stats() {
      return { threads: slots.filter((slot) => slot.alive).length, ...counts };
    },
    async close() {
      closed = true;
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
      await local?.close();
    },
  };
}

/** The pool's append-only tables: each paper and string gets a number on first sight. */
function createTables() {
  const papers: Paper[] = [];
  const paperIds = new Map<string, number>();
  const strings: string[] = [];
  const stringIds = new Map<string, number>();
  const paper = (value: Paper) => {
    let at = paperIds.get(value.id);
    if (at === undefined) {
      at = papers.push(value) - 1;
      paperIds.set(value.id, at);
    }
    return at;
  };
  const string = (value: string) => {
    let at = stringIds.get(value);
    if (at === undefined) {
      at = strings.push(value) - 1;
      stringIds.set(value, at);
    }
    return at;
  };
  return {
    papers,
    strings,
    compact(digest: Digest): CompactDigest {
      const items: number[] = [];
      for (const item of digest.items) {
        items.push(paper(item.paper), item.score, string(item.topics.join("\0")), string(item.why));
      }
      const { email, name, topics } = digest.subscriber;
      return {
        date: digest.date,
        email,
        ...(name === undefined ? {} : { name }),
        topics: string(topics.join("\0")),
        items,
      };
    },
  };
}

/** A worker's copy of the tables, turning compact digests back into digests. */
export function createExpander() {
  const papers: Paper[] = [];
  const strings: string[] = [];
  const lists = new Map<number, string[]>();
  const list = (at: number) => {
    let value = lists.get(at);
    if (value === undefined) {
      const joined = strings[at] ?? "";
      value = joined === "" ? [] : joined.split("\0");
      lists.set(at, value);
    }
    return value;
  };
  return {
    add(batch: Pick<ToWorker, "papers" | "strings">) {
      for (const value of batch.papers) papers.push(value);
      for (const value of batch.strings) strings.push(value);
    },
    expand(digest: CompactDigest): Digest {
      const items: Digest["items"] = [];
      for (let i = 0; i < digest.items.length; i += 4) {
        const [p, score, topics, why] = digest.items.slice(i, i + 4) as [number, number, number, number];
        const paper = papers[p];
        if (!paper) throw new Error(`compose worker: paper #${p} was never sent`);
        items.push({ paper, score, topics: list(topics), why: strings[why] ?? "" });
      }
      return {
        date: digest.date,
        subscriber: {
          email: digest.email,
          ...(digest.name === undefined ? {} : { name: digest.name }),
          topics: list(digest.topics),
        },
        items,
      };
    },
  };
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * A worker running compose-worker: the compiled .js beside this module, or, running from TypeScript
 * source (tsx, vitest), the .ts behind tsx's loader, registered inside the worker (Node 20 does not
 * carry `--import` hooks into worker threads).
 */
function startWorker(setup: ComposeSetup): Worker {
  const fromSource = import.meta.url.endsWith(".ts");
  if (!fromSource) return new Worker(new URL("./compose-worker.js", import.meta.url), { workerData: setup });
  const entry = new URL("./compose-worker.ts", import.meta.url).href;
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api")).href.replace(
    /index\.cjs$/,
    "index.mjs",
  );
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData: setup });
}
