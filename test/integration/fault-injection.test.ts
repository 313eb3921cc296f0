/**
 * Item 7 of the reliability issue: a 1,000-subscriber mail run against the real local S3/SES (moto_server)
 * behind fault proxies — failed first requests, 5xx, SES throttling, answers lost after SES accepted,
 * requests dropped before SES saw them, and a crash halfway — then full re-runs of the same date.
 * Every subscriber must end with exactly one message in the SES server: none lost, none doubled.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { SESClient, VerifyEmailIdentityCommand } from "@aws-sdk/client-ses";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3Store } from "../../shared/adapters/s3-store.js";
import { SesMailer } from "../../shared/adapters/ses-mailer.js";
import { configSchema, type PaperboyConfig } from "../../shared/config/schema.js";
import { keys } from "../../shared/domain/keys.js";
import type { Paper } from "../../shared/domain/paper.js";
import type { Digest } from "../../shared/domain/tagging.js";
import {
  type DigestsFile,
  type MailSummary,
  mailStage,
  type TaggedFile,
} from "../../shared/pipeline/stages.js";
import type { ObjectStore } from "../../shared/ports/index.js";
import { applySesFeedback, parseSesNotification } from "../../shared/unsubscribe/ses-events.js";
import {
  type Fault,
  isSendRawEmail,
  type ProxiedRequest,
  s3Error,
  sesError,
  startFaultProxy,
} from "../support/fault-proxy.js";
import { type MotoServer, startMoto } from "../support/moto.js";

const DATE = "2026-08-18";
const SUBSCRIBERS = 1000;
const BUCKET = "paperboy-faults";
const FROM = "digest@paperboy.example";
const CLIENT_TIMEOUT_MS = 2000;
const STALL_MS = 2500;
const KEY = Buffer.alloc(32, 7);
// Without throwOnRequestTimeout the SDK only warns and waits for the socket to die.
const TIMEOUTS = {
  requestTimeout: CLIENT_TIMEOUT_MS,
  connectionTimeout: CLIENT_TIMEOUT_MS,
  throwOnRequestTimeout: true,
};

interface MotoMessage {
  id: string;
  destinations: string[];
  raw_data: string;
}

describe("fault injection: 1,000 subscribers, S3 and SES failing, then re-runs", () => {
  // Two servers, one per service: moto handles one request at a time per process, and 2 cores are shared.
  let s3: MotoServer;
  let ses: MotoServer;
  const started = Date.now();

  beforeAll(async () => {
    [s3, ses] = await Promise.all([startMoto(), startMoto()]);
    await new S3Client(s3.clientConfig).send(new CreateBucketCommand({ Bucket: BUCKET }));
    await new SESClient(ses.clientConfig).send(new VerifyEmailIdentityCommand({ EmailAddress: FROM }));
  });
  afterAll(() => Promise.all([s3?.stop(), ses?.stop()]));

  it("sends every digest exactly once", async () => {
    // Prepare: a day of digests written straight to the bucket, then proxies in front of moto.
    const config = bigConfig();
    const direct = new S3Store(BUCKET, new S3Client(s3.clientConfig));
    await writeDay(direct, config);
    const s3Proxy = await startFaultProxy(s3.endpoint);
    const sesProxy = await startFaultProxy(ses.endpoint);
    const store = new S3Store(
      BUCKET,
      new S3Client({
        ...s3.clientConfig,
        endpoint: s3Proxy.url,
        maxAttempts: 3,
        requestHandler: TIMEOUTS,
      }),
    );
    // One attempt per call: the delivery protocol decides what is safe to retry (a timeout is not).
    const mailer = new SesMailer(
      {},
      new SESClient({
        ...ses.clientConfig,
        endpoint: sesProxy.url,
        maxAttempts: 1,
        requestHandler: TIMEOUTS,
      }),
    );
    // Backoff pauses shortened (capped at 200 ms) to keep the test fast; pacing is not affected.
    const retry = { sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, Math.min(ms, 200))) };
    let clock = new Date("2026-08-18T07:00:00Z");
    const deps = { store, mailer, unsubscribeKey: KEY, clock: { now: () => clock }, retry };
    const options = { concurrency: 8 };
    const runs: { name: string; summary?: MailSummary; crashed?: string; ms: number }[] = [];
    const run = async (name: string, over: Partial<typeof deps> = {}) => {
      const t0 = Date.now();
      const summary = await mailStage(config, DATE, { ...deps, ...over }, options);
      runs.push({ name, summary, ms: Date.now() - t0 });
      return summary;
    };

    // Act 1: a crash halfway — after 300 sent markers the store dies for good (the process "stops").
    const crashing = crashAfter(store, 300);
    sesProxy.setPlan(sesFaults);
    s3Proxy.setPlan(s3Faults);
    const t0 = Date.now();
    const crash = await mailStage(config, DATE, { ...deps, store: crashing }, options).then(
      () => "no crash",
      (error: Error) => error.message,
    );
    runs.push({ name: "crash halfway", crashed: crash, ms: Date.now() - t0 });

    // Act 2: the Lambda retry right away, with the faults still on: claims of the crashed run are fresh.
    const retried = await run("immediate retry");

    // Act 3: SES Send events reach the bounces function (emulated from moto's record of accepted mail),
    // 16 minutes pass, and the whole date is re-run — faults still on.
    // Faults stay on, so a re-run can leave new unconfirmed sends: repeat until none is left.
    const published = new Set<string>();
    const reruns: MailSummary[] = [];
    for (let round = 1; round <= 5; round++) {
      await publishSendEvents(ses, direct, published);
      clock = new Date(clock.getTime() + 16 * 60_000);
      const summary = await run(`re-run ${round} after grace`);
      reruns.push(summary);
      if (summary.inDoubt.length === 0 && summary.failed.length === 0) break;
    }

    // Act 4: a clean manual re-run of the same date sends nothing.
    sesProxy.setPlan(() => ({ kind: "pass" }));
    s3Proxy.setPlan(() => ({ kind: "pass" }));
    const clean = await run("clean re-run");

    // Assess: in the SES server, one message per subscriber.
    const messages = await sentMessages(ses);
    const perAddress = new Map<string, number>();
    // moto lists the To header's address beside the envelope destination: count each address once per message.
    for (const m of messages)
      for (const d of new Set(m.destinations)) perAddress.set(d, (perAddress.get(d) ?? 0) + 1);
    const expected = config.subscribers.map((s) => s.email);
    const lost = expected.filter((e) => !perAddress.has(e));
    const doubled = [...perAddress].filter(([, n]) => n > 1).map(([e]) => e);
    const figures = {
      subscribers: SUBSCRIBERS,
      faults: { s3: { ...s3Proxy.stats }, ses: { ...sesProxy.stats }, crashAfterMarkers: 300 },
      runs: runs.map((r) => ({
        name: r.name,
        ms: r.ms,
        ...(r.summary ? counts(r.summary) : { crashed: r.crashed }),
      })),
      sendEventsPublished: published.size,
      messages: {
        expected: SUBSCRIBERS,
        received: messages.length,
        lost: lost.length,
        duplicated: doubled.length,
      },
      totalMs: Date.now() - started,
    };
    await saveFigures(figures);
    console.log(JSON.stringify(figures, null, 2));
    await Promise.all([s3Proxy.close(), sesProxy.close()]);

    expect(lost).toEqual([]);
    expect(doubled).toEqual([]);
    expect(messages).toHaveLength(SUBSCRIBERS);
    expect(crash).toMatch(/simulated crash/);
    expect(retried.inDoubt.length).toBeGreaterThan(0);
    expect(reruns.at(-1)?.inDoubt).toEqual([]);
    expect(clean.sent).toEqual([]);
    expect(clean.alreadySent).toHaveLength(SUBSCRIBERS);
    expect(clean.failed).toEqual([]);
    const totalInjected = Object.entries({ ...s3Proxy.stats, ...sesProxy.stats })
      .filter(([label]) => label !== "passed")
      .reduce((n, [, v]) => n + v, 0);
    expect(totalInjected).toBeGreaterThan(50);
    for (const m of messages.slice(0, 50)) {
      const unfolded = m.raw_data.replace(/\r?\n[ \t]+/g, " ");
      expect(unfolded).toMatch(/^List-Unsubscribe: <https:\/\/unsubscribe\.paperboy\.example\/\?s=/m);
      expect(unfolded).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
    }
  }, 120_000);
});

/** S3: the first 10 requests fail (500/503), then every 41st answers 503 SlowDown, every 293rd request, if a write, loses its answer. */
function s3Faults(request: ProxiedRequest): Fault {
  if (request.n <= 10)
    return request.n % 2 ? s3Error(500, "InternalError") : s3Error(503, "ServiceUnavailable");
  if (request.n % 41 === 0) return s3Error(503, "SlowDown");
  if (request.method === "PUT" && request.n % 293 === 0) return { kind: "stall-after-forward", ms: STALL_MS };
  return { kind: "pass" };
}

/** SES: the first 5 sends fail with 503, every 7th is throttled, every 97th is accepted but its answer lost, every 131st is dropped unseen. */
function sesFaults(request: ProxiedRequest): Fault {
  if (!isSendRawEmail(request)) return { kind: "pass" };
  if (request.n <= 5) return sesError(503, "ServiceUnavailable", "Service unavailable");
  if (request.n % 7 === 0) return sesError(400, "Throttling", "Maximum sending rate exceeded.");
  if (request.n % 97 === 0) return { kind: "stall-after-forward", ms: STALL_MS };
  if (request.n % 131 === 0) return { kind: "drop", ms: STALL_MS };
  return { kind: "pass" };
}

/** A store that fails every call once `markers` sent markers were written: the process died there. */
function crashAfter(store: ObjectStore, markers: number): ObjectStore {
  let written = 0;
  const dead = () => written >= markers;
  const crash = () => Promise.reject(new Error("simulated crash: the process stopped"));
  return {
    get: (key) => (dead() ? crash() : store.get(key)),
    list: (prefix) => (dead() ? crash() : store.list(prefix)),
    put: (key, body, type) => (dead() ? crash() : store.put(key, body, type)),
    putIfAbsent: async (key, body, type) => {
      if (dead()) return crash();
      const done = await store.putIfAbsent(key, body, type);
      if (key.startsWith("state/sent/")) written++;
      return done;
    },
  };
}

function bigConfig(): PaperboyConfig {
  return configSchema.parse({
    sources: [{ type: "huggingface" }],
    topics: [{ id: "agents", name: "LLM agents" }],
    subscribers: Array.from({ length: SUBSCRIBERS }, (_, i) => ({
      email: `reader${String(i).padStart(4, "0")}@example.org`,
      topics: ["agents"],
    })),
    delivery: {
      from: `Paperboy <${FROM}>`,
      maxSendRate: 1000,
      unsubscribeBaseUrl: "https://unsubscribe.paperboy.example/",
    },
  });
}

async function writeDay(store: ObjectStore, config: PaperboyConfig): Promise<void> {
  const paper: Paper = {
    id: "2608.00001",
    title: "Agents that retry",
    abstract: "Tool-using agents recover from transient faults.",
    authors: ["A. Author"],
    categories: ["cs.AI"],
    links: { abs: "https://arxiv.org/abs/2608.00001" },
    sources: ["huggingface"],
  };
  const match = { topicId: "agents", score: 0.9, evidence: { title: ["agents"], keywords: [], terms: [] } };
  const digests: Digest[] = config.subscribers.map((s) => ({
    date: DATE,
    subscriber: { email: s.email, topics: s.topics },
    items: [{ paper, score: 0.9, topics: ["agents"], why: "Matches LLM agents." }],
  }));
  const tagged: TaggedFile = { date: DATE, sources: [], papers: [{ paper, matches: [match] }] };
  const file: DigestsFile = { date: DATE, missingSources: [], digests };
  await store.put(keys.tagged(DATE), JSON.stringify(tagged));
  await store.put(keys.digests(DATE), JSON.stringify(file));
}

async function sentMessages(moto: MotoServer): Promise<MotoMessage[]> {
  const data = (await (await fetch(`${moto.endpoint}/moto-api/data.json`)).json()) as {
    ses?: { RawMessage?: MotoMessage[] };
  };
  return data.ses?.RawMessage ?? [];
}

/** What the SES configuration set would publish: a Send event per accepted message, fed to the bounces code. */
async function publishSendEvents(ses: MotoServer, store: ObjectStore, published: Set<string>): Promise<void> {
  for (const m of await sentMessages(ses)) {
    if (published.has(m.id)) continue;
    published.add(m.id);
    const date = /^X-Paperboy-Date: (\S+)/m.exec(m.raw_data)?.[1] ?? "";
    const event = {
      eventType: "Send",
      mail: {
        messageId: m.id,
        destination: m.destinations,
        headers: [{ name: "X-Paperboy-Date", value: date }],
      },
      send: {},
    };
    await applySesFeedback(store, parseSesNotification(JSON.stringify(event)), new Date());
  }
}

function counts(s: MailSummary) {
  return {
    sent: s.sent.length,
    alreadySent: s.alreadySent.length,
    inDoubt: s.inDoubt.length,
    failed: s.failed.length,
    warnings: s.warnings.length,
  };
}

async function saveFigures(figures: object): Promise<void> {
  const dir = resolve(import.meta.dirname, "../../test-artifacts");
  await mkdir(dir, { recursive: true });
  await writeFile(resolve(dir, "fault-injection.json"), `${JSON.stringify(figures, null, 2)}\n`);
}
