import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FolderStore } from "../../shared/adapters/fs-store.js";
import { configSchema, type PaperboyConfig } from "../../shared/config/schema.js";
import { keys } from "../../shared/domain/keys.js";
import type { Paper } from "../../shared/domain/paper.js";
import type { Digest } from "../../shared/domain/tagging.js";
import { batchStoreView } from "../../shared/fanout/batch-store.js";
import {
  type BatchQueue,
  balancedBatches,
  DigestsMissingError,
  dispatchMailBatches,
} from "../../shared/fanout/dispatch.js";
import {
  BATCH_MESSAGE_VERSION,
  batchShardKey,
  batchSummaryKey,
  type MailBatchMessage,
  MailBatchMessageError,
  parseMailBatchMessage,
} from "../../shared/fanout/messages.js";
import { fanoutPlan, MIN_WORKERS, workerRate } from "../../shared/fanout/plan.js";
import { handleMailBatches, runMailBatch } from "../../shared/fanout/worker.js";
import { decodeDigestsFile } from "../../shared/pipeline/digests-file.js";
import type { DigestsFile, MailSummary, TaggedFile } from "../../shared/pipeline/stages.js";
import type { Mailer, OutgoingMessage } from "../../shared/ports/index.js";

const DATE = "2026-08-18";

describe("fanoutPlan", () => {
  it.each([
    { rate: 1, workers: 2 },
    { rate: 14, workers: 2 },
    { rate: 50, workers: 2 },
    { rate: 51, workers: 3 },
    { rate: 200, workers: 8 },
    { rate: 1000, workers: 40 },
  ])("maxSendRate $rate → $workers workers whose total pace stays under it", ({ rate, workers }) => {
    // Act
    const plan = fanoutPlan(rate);

    // Assess
    expect(plan.workers).toBe(workers);
    expect(plan.workers).toBeGreaterThanOrEqual(MIN_WORKERS);
    expect(plan.workers * plan.perWorkerRate).toBeLessThanOrEqual(rate);
    expect(plan.workers * plan.perWorkerRate).toBeGreaterThanOrEqual(rate * 0.95);
    expect(plan.batchSize).toBeGreaterThanOrEqual(10);
    expect(plan.batchSize).toBeLessThanOrEqual(500);
  });

  it("gives the worker the same pace from its environment as the plan", () => {
    const plan = fanoutPlan(14);
    expect(workerRate(14, plan.workers)).toBe(plan.perWorkerRate);
  });

  it("refuses a rate that is not positive", () => {
    expect(() => fanoutPlan(0)).toThrow(RangeError);
  });
});

describe("parseMailBatchMessage", () => {
  const valid: MailBatchMessage = {
    v: BATCH_MESSAGE_VERSION,
    date: DATE,
    batch: 1,
    of: 2,
    shard: batchShardKey(DATE, 1),
    subscribers: ["ada@example.org"],
  };

  it.each([
    { name: "not JSON", body: "{", field: "not JSON" },
    { name: "wrong date", body: JSON.stringify({ ...valid, date: "18.08.2026" }), field: "message.date" },
    {
      name: "shard elsewhere",
      body: JSON.stringify({ ...valid, shard: "state/sent/x.json" }),
      field: "message.shard",
    },
    { name: "no readers", body: JSON.stringify({ ...valid, subscribers: [] }), field: "message.subscribers" },
    { name: "unknown field", body: JSON.stringify({ ...valid, extra: 1 }), field: "message" },
  ])("rejects $name, naming the field", ({ body, field }) => {
    expect(() => parseMailBatchMessage(body)).toThrow(MailBatchMessageError);
    expect(() => parseMailBatchMessage(body)).toThrow(field);
  });

  it("accepts a dispatched message", () => {
    expect(parseMailBatchMessage(JSON.stringify(valid))).toEqual(valid);
  });
});

function paper(id: string): Paper {
  return {
    id,
    title: `A paper about agents ${id}`,
    abstract: "We study agents that plan.",
    authors: ["Ada Lovelace"],
    categories: ["cs.AI"],
    links: { abs: `https://arxiv.org/abs/${id}` },
    sources: ["arxiv:cs.AI"],
  };
}

const READERS = ["r1@example.org", "r2@example.org", "r3@example.org", "r4@example.org", "r5@example.org"];

function config(): PaperboyConfig {
  return configSchema.parse({
    sources: [{ type: "huggingface" }],
    topics: [{ id: "agents", name: "Agents" }],
    subscribers: READERS.map((email) => ({ email, topics: ["agents"] })),
    delivery: { from: "Paperboy <digest@paperboy.example>", maxSendRate: 500 },
  });
}

async function seedDay(store: FolderStore): Promise<void> {
  const papers = [paper("2608.00001"), paper("2608.00002")];
  const digests: Digest[] = READERS.map((email, i) => ({
    date: DATE,
    subscriber: { email, topics: ["agents"] },
    items: (i === 4 ? [] : papers).map((p) => ({ paper: p, score: 0.9, topics: ["agents"], why: "Agents." })),
  }));
  const file: DigestsFile = { date: DATE, missingSources: [], digests };
  const tagged: TaggedFile = {
    date: DATE,
    sources: [],
    papers: papers.map((p) => ({
      paper: p,
      matches: [{ topicId: "agents", score: 0.9, evidence: { title: [], keywords: ["agents"], terms: [] } }],
    })),
  };
  await store.put(keys.digests(DATE), JSON.stringify(file));
  await store.put(keys.tagged(DATE), JSON.stringify(tagged));
}

class ArrayQueue implements BatchQueue {
  readonly bodies: string[] = [];
  async sendAll(bodies: string[]): Promise<void> {
    this.bodies.push(...bodies);
  }
}

class RecordingMailer implements Mailer {
  readonly sent: OutgoingMessage[] = [];
  failFor = new Set<string>();
  async send(message: OutgoingMessage) {
    if (this.failFor.has(message.to))
      throw Object.assign(new Error("MessageRejected"), { name: "MessageRejected" });
    this.sent.push(message);
    return { messageId: `m-${this.sent.length}` };
  }
}

describe("balancedBatches", () => {
  it.each([
    { readers: 5, batchSize: 2, workers: 1, of: 3, size: 2 },
    { readers: 600, batchSize: 588, workers: 2, of: 2, size: 300 },
    { readers: 10_000, batchSize: 300, workers: 2, of: 34, size: 295 },
    { readers: 7, batchSize: 100, workers: 4, of: 4, size: 2 },
    { readers: 0, batchSize: 100, workers: 2, of: 0, size: 100 },
  ])(
    "$readers readers, ≤ $batchSize a batch, $workers workers → $of × $size",
    ({ readers, batchSize, workers, of, size }) => {
      const plan = balancedBatches(readers, batchSize, workers);
      expect(plan).toEqual({ of, size });
      expect(plan.size).toBeLessThanOrEqual(batchSize);
    },
  );
});

describe("mail fan-out over a folder store", () => {
  let dir: string;
  let store: FolderStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "paperboy-fanout-"));
    store = new FolderStore(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("cuts the digests into shards and enqueues one valid message per batch", async () => {
    // Prepare
    await seedDay(store);
    const queue = new ArrayQueue();

    // Act
    const summary = await dispatchMailBatches(DATE, { store, queue }, { batchSize: 2 });

    // Assess
    expect(summary).toEqual({ date: DATE, digests: 5, batches: 3, batchSize: 2 });
    const messages = queue.bodies.map(parseMailBatchMessage);
    expect(messages.map((m) => [m.batch, m.of, m.subscribers])).toEqual([
      [1, 3, ["r1@example.org", "r2@example.org"]],
      [2, 3, ["r3@example.org", "r4@example.org"]],
      [3, 3, ["r5@example.org"]],
    ]);
    const shardKey = batchShardKey(DATE, 2);
    const shardBody = String(await store.get(shardKey));
    const shard = decodeDigestsFile(shardBody, shardKey);
    expect(shard.digests.map((d) => d.subscriber.email)).toEqual(["r3@example.org", "r4@example.org"]);
    expect(shard.digests[0]?.items.map((i) => i.paper.title)).toEqual([
      "A paper about agents 2608.00001",
      "A paper about agents 2608.00002",
    ]);
    // Each paper once in the shard, however many of its readers get it.
    expect(shardBody.split("We study agents that plan.").length - 1).toBe(2);
    // The last shard's only reader has an empty digest: no papers in it at all.
    expect(JSON.parse(String(await store.get(batchShardKey(DATE, 3))))).toMatchObject({
      format: 2,
      papers: [],
    });
  });

  it("dispatches only the named readers on a manual re-run", async () => {
    await seedDay(store);
    const queue = new ArrayQueue();
    const summary = await dispatchMailBatches(
      DATE,
      { store, queue },
      { batchSize: 10, subscribers: ["R2@example.org"] },
    );
    expect(summary.digests).toBe(1);
    expect(parseMailBatchMessage(queue.bodies[0] ?? "").subscribers).toEqual(["r2@example.org"]);
  });

  it("says the classify stage has not run when the digests are missing", async () => {
    await expect(
      dispatchMailBatches(DATE, { store, queue: new ArrayQueue() }, { batchSize: 2 }),
    ).rejects.toThrow(DigestsMissingError);
  });

  it("gives a batch its shard, its own run summary, and the archive page only to batch 1", async () => {
    // Prepare
    await store.put(batchShardKey(DATE, 2), "shard-2");
    const message = parseMailBatchMessage(
      JSON.stringify({
        v: 1,
        date: DATE,
        batch: 2,
        of: 2,
        shard: batchShardKey(DATE, 2),
        subscribers: ["a@b.c"],
      }),
    );
    const view = batchStoreView(store, message);

    // Act
    await view.put(keys.runSummary(DATE), "summary-2");
    await view.put(keys.archive(DATE), "archive from batch 2");

    // Assess
    expect(String(await view.get(keys.digests(DATE)))).toBe("shard-2");
    expect(String(await store.get(batchSummaryKey(DATE, 2)))).toBe("summary-2");
    expect(await store.get(keys.runSummary(DATE))).toBeUndefined();
    expect(await store.get(keys.archive(DATE))).toBeUndefined();
  });

  it("sends every reader exactly once across batches, and a re-delivered batch sends nothing again", async () => {
    // Prepare
    await seedDay(store);
    const queue = new ArrayQueue();
    await dispatchMailBatches(DATE, { store, queue }, { batchSize: 2 });
    const mailer = new RecordingMailer();
    const records = queue.bodies.map((body, i) => ({ messageId: `q-${i}`, body }));
    const run = (m: MailBatchMessage) => runMailBatch(config(), m, { store, mailer, perWorkerRate: 500 });

    // Act
    const first = await handleMailBatches(records, run);
    const again = await handleMailBatches(records.slice(0, 1), run);

    // Assess
    expect(first.response.batchItemFailures).toEqual([]);
    expect(mailer.sent.map((m) => m.to).sort()).toEqual(READERS.slice(0, 4));
    expect(again.results[0]?.summary?.alreadySent).toEqual(["r1@example.org", "r2@example.org"]);
    expect(mailer.sent).toHaveLength(4);
    // The archive page is the classify stage's (rendered once a day); mail batches never rewrite it.
    expect(await store.get(keys.archive(DATE))).toBeUndefined();
    expect(await store.get(batchSummaryKey(DATE, 3))).toBeDefined();
  });

  it("reports only the failed record, and its retry sends only the reader that failed", async () => {
    // Prepare
    await seedDay(store);
    const queue = new ArrayQueue();
    await dispatchMailBatches(DATE, { store, queue }, { batchSize: 2 });
    const mailer = new RecordingMailer();
    mailer.failFor.add("r3@example.org");
    const records = [
      ...queue.bodies.map((body, i) => ({ messageId: `q-${i}`, body })),
      { messageId: "junk", body: "not a batch" },
    ];
    const run = (m: MailBatchMessage) => runMailBatch(config(), m, { store, mailer, perWorkerRate: 500 });

    // Act
    const first = await handleMailBatches(records, run);
    mailer.failFor.clear();
    const retry = await handleMailBatches(
      records.filter((r) => r.messageId === "q-1"),
      run,
    );

    // Assess
    expect(first.response.batchItemFailures).toEqual([{ itemIdentifier: "q-1" }, { itemIdentifier: "junk" }]);
    expect(retry.response.batchItemFailures).toEqual([]);
    expect(retry.results[0]?.summary?.sent.map((s) => s.subscriber)).toEqual(["r3@example.org"]);
    expect(mailer.sent.filter((m) => m.to === "r4@example.org")).toHaveLength(1);
  });

  it("paces each worker at its share of the rate", async () => {
    // Prepare
    await seedDay(store);
    const queue = new ArrayQueue();
    await dispatchMailBatches(DATE, { store, queue }, { batchSize: 5 });
    const mailer = new RecordingMailer();
    const times: number[] = [];
    const timed: Mailer = {
      send: (m) => {
        times.push(Date.now());
        return mailer.send(m);
      },
    };
    const message = parseMailBatchMessage(queue.bodies[0] ?? "");

    // Act
    const summary: MailSummary = await runMailBatch(config(), message, {
      store,
      mailer: timed,
      perWorkerRate: 20,
    });

    // Assess: 4 sends at 20/s are at least 3 intervals of 50 ms apart.
    expect(summary.sent).toHaveLength(4);
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(140);
  });
});
