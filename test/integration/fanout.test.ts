/**
 * The mail fan-out's two real handlers against a real local S3, SQS and SES (moto_server): dispatch cuts
 * the day's digests into SQS batch messages, the worker sends them, failures come back per record, and a
 * re-delivered batch sends nothing twice.
 */
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { SESClient, VerifyEmailIdentityCommand } from "@aws-sdk/client-ses";
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stageConfigFile } from "../../infra/lib/constructs/paperboy-function.js";
import { S3Store } from "../../shared/adapters/s3-store.js";
import { configSchema } from "../../shared/config/schema.js";
import { keys } from "../../shared/domain/keys.js";
import type { Paper } from "../../shared/domain/paper.js";
import type { DispatchSummary } from "../../shared/fanout/dispatch.js";
import type { DigestsFile, TaggedFile } from "../../shared/pipeline/stages.js";
import { type MotoServer, startMoto } from "../support/moto.js";

const BUCKET = "paperboy-fanout";
const SENDER = "digest@paperboy.example";
const DATE = "2026-08-18";
const READERS = Array.from({ length: 7 }, (_, i) => `reader${i}@example.org`);

type Dispatch = (event: unknown) => Promise<DispatchSummary>;
type Worker = (event: SQSEvent) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
let moto: MotoServer;
let sqs: SQSClient;
let queueUrl: string;
let handlers: { dispatch: Dispatch; worker: Worker };
const savedEnv = { ...process.env };

beforeAll(async () => {
  moto = await startMoto();
  const s3 = new S3Client(moto.clientConfig);
  sqs = new SQSClient(moto.clientConfig);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await new SESClient(moto.clientConfig).send(new VerifyEmailIdentityCommand({ EmailAddress: SENDER }));
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "mail-batches" }))).QueueUrl ?? "";
  const config = configSchema.parse({
    sources: [{ type: "huggingface" }],
    topics: [{ id: "agents", name: "Agents" }],
    subscribers: READERS.map((email) => ({ email, topics: ["agents"] })),
    delivery: { from: `Paperboy <${SENDER}>`, maxSendRate: 100 },
  });
  Object.assign(process.env, moto.env, {
    PAPERBOY_BUCKET: BUCKET,
    PAPERBOY_CONFIG_FILE: stageConfigFile(config),
    PAPERBOY_MAIL_QUEUE_URL: queueUrl,
    PAPERBOY_MAIL_WORKERS: "2",
    PAPERBOY_MAIL_BATCH_SIZE: "2",
    POWERTOOLS_LOG_LEVEL: "WARN",
    POWERTOOLS_METRICS_NAMESPACE: "Paperboy",
    AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING: "1",
  });
  await seedDay(new S3Store(BUCKET, s3));
  // Imported after the environment is set: the handlers build their SDK clients from it, as on Lambda.
  handlers = {
    dispatch: (await import("../../functions/mail-worker/dispatch/handler.js")).handler,
    worker: (await import("../../functions/mail-worker/handler.js")).handler,
  };
});

afterAll(async () => {
  await moto?.stop();
  process.env = savedEnv;
});

describe("mail fan-out on a local AWS", () => {
  let records: SQSRecord[];

  it("dispatch enqueues one message per balanced batch", async () => {
    // Act
    const summary = await handlers.dispatch({ date: DATE });
    records = await receiveAll();

    // Assess: 7 readers, ≤ 2 a batch, an even number of batches for 2 workers
    expect(summary).toMatchObject({ date: DATE, digests: 7, batches: 4 });
    expect(records).toHaveLength(4);
  });

  it("the worker sends every reader once and reports only the record that is not a batch", async () => {
    // Prepare
    const junk = { ...(records[0] as SQSRecord), messageId: "junk", body: "{}" };

    // Act
    const response = await handlers.worker({ Records: [...records, junk] });

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "junk" }]);
    const sent = await sesMessages();
    expect(sent).toHaveLength(READERS.length);
    expect([...new Set(sent.flatMap((m) => m.destinations))].sort()).toEqual([...READERS].sort());
  });

  it("a re-delivered batch sends nothing again", async () => {
    // Act
    const response = await handlers.worker({ Records: records.slice(0, 2) });

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(await sesMessages()).toHaveLength(READERS.length);
  });
});

async function seedDay(store: S3Store): Promise<void> {
  const paper: Paper = {
    id: "2608.00001",
    title: "Agents that plan",
    abstract: "We study agents that plan.",
    authors: ["Ada Lovelace"],
    categories: ["cs.AI"],
    links: { abs: "https://arxiv.org/abs/2608.00001" },
    sources: ["arxiv:cs.AI"],
  };
  const file: DigestsFile = {
    date: DATE,
    missingSources: [],
    digests: READERS.map((email) => ({
      date: DATE,
      subscriber: { email, topics: ["agents"] },
      items: [{ paper, score: 0.9, topics: ["agents"], why: "Agents: matches planning." }],
    })),
  };
  const tagged: TaggedFile = {
    date: DATE,
    sources: [],
    papers: [
      {
        paper,
        matches: [{ topicId: "agents", score: 0.9, evidence: { title: [], keywords: [], terms: [] } }],
      },
    ],
  };
  await store.put(keys.digests(DATE), JSON.stringify(file), "application/json");
  await store.put(keys.tagged(DATE), JSON.stringify(tagged), "application/json");
}

/** Every waiting message, as the event source would hand them to the worker. */
async function receiveAll(): Promise<SQSRecord[]> {
  const records: SQSRecord[] = [];
  for (;;) {
    const out = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 300 }),
    );
    if (!out.Messages?.length) return records;
    for (const m of out.Messages) {
      records.push({
        messageId: m.MessageId ?? "",
        receiptHandle: m.ReceiptHandle ?? "",
        body: m.Body ?? "",
        attributes: {
          ApproximateReceiveCount: "1",
          SentTimestamp: String(Date.now()),
          SenderId: "local",
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: m.MD5OfBody ?? "",
        eventSource: "aws:sqs",
        eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:mail-batches",
        awsRegion: "us-east-1",
      });
    }
  }
}

/** The raw messages SES accepted, once each (moto's data dump can list one message more than once). */
async function sesMessages(): Promise<{ id: string; destinations: string[] }[]> {
  const res = await fetch(`${moto.endpoint}/moto-api/data.json`);
  const data = (await res.json()) as { ses?: { RawMessage?: { id: string; destinations: string[] }[] } };
  return [...new Map((data.ses?.RawMessage ?? []).map((m) => [m.id, m])).values()];
}
