/**
 * Re-runs on AWS (real local S3 and SES: moto_server): re-running a date sends nothing twice; an opt-out
 * through the real unsubscribe Lambda and a bounce through the real bounces Lambda are honoured on the
 * next run; a paper is not sent again on a later day.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { SESClient, VerifyEmailIdentityCommand } from "@aws-sdk/client-ses";
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult, SNSEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3Store } from "../../shared/adapters/s3-store.js";
import { SesMailer } from "../../shared/adapters/ses-mailer.js";
import { loadConfigFile } from "../../shared/config/file.js";
import type { PaperboyConfig } from "../../shared/config/schema.js";
import { classifyStage, fetchStage, mailStage } from "../../shared/pipeline/stages.js";
import type { FeedFetcher } from "../../shared/ports/index.js";
import { type MotoServer, startMoto } from "../support/moto.js";

const BUCKET = "paperboy-rerun";
const SENDER = "digest@paperboy.example";
const KEY_HEX = "ab".repeat(32);
const FEED = "test/fixtures/feeds/hf_daily_papers_api_2026-08-18.json";
const noNetwork: FeedFetcher = { fetch: () => Promise.reject(new Error("no network")) };

type UnsubscribeHandler = (event: LambdaFunctionURLEvent) => Promise<LambdaFunctionURLResult>;
type BouncesHandler = (event: SNSEvent) => Promise<{ suppressed: number }>;

interface MotoMessage {
  destinations: string[];
  raw_data: string;
}

describe("re-runs, opt-outs and bounces against local S3/SES", () => {
  let moto: MotoServer;
  let work: string;
  let config: PaperboyConfig;
  let unsubscribe: UnsubscribeHandler;
  let bounces: BouncesHandler;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    moto = await startMoto();
    work = await mkdtemp(join(tmpdir(), "paperboy-rerun-"));
    Object.assign(process.env, moto.env, {
      PAPERBOY_BUCKET: BUCKET,
      PAPERBOY_UNSUBSCRIBE_KEY: KEY_HEX,
      POWERTOOLS_LOG_LEVEL: "WARN",
      AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING: "1",
    });
    await new S3Client(moto.clientConfig).send(new CreateBucketCommand({ Bucket: BUCKET }));
    await new SESClient(moto.clientConfig).send(new VerifyEmailIdentityCommand({ EmailAddress: SENDER }));
    const base = loadConfigFile("test/fixtures/demo/paperboy.demo.yaml");
    config = {
      ...base,
      delivery: {
        ...base.delivery,
        from: `Paperboy <${SENDER}>`,
        unsubscribeBaseUrl: "https://u.paperboy.example/",
      },
    };
    // Imported after the environment is set: the handlers build their SDK clients from it, as on Lambda.
    unsubscribe = (await import("../../functions/unsubscribe/handler.js")).handler;
    bounces = (await import("../../functions/bounces/handler.js")).handler;
  });
  afterAll(async () => {
    await moto?.stop();
    await rm(work, { recursive: true, force: true });
    process.env = savedEnv;
  });

  it("relies on a store whose write-once put answers like S3 (moto: 412 on the second If-None-Match: *)", async () => {
    const store = new S3Store(BUCKET, new S3Client(moto.clientConfig));
    expect(await store.putIfAbsent("state/probe/once.json", "first")).toBe(true);
    expect(await store.putIfAbsent("state/probe/once.json", "second")).toBe(false);
    expect((await store.get("state/probe/once.json"))?.toString()).toBe("first");
  });

  it("sends each digest once, then honours the opt-out and the bounce on the next day", async () => {
    // Prepare
    const store = new S3Store(BUCKET, new S3Client(moto.clientConfig));
    const mailer = new SesMailer({}, new SESClient({ ...moto.clientConfig, maxAttempts: 1 }));
    const deps = { store, mailer, unsubscribeKey: Buffer.from(KEY_HEX, "hex") };
    const day = async (date: string, feed: string) => {
      await fetchStage(config, date, { store, fetcher: noNetwork }, { feeds: [feed] });
      await classifyStage(config, date, { store });
      return mailStage(config, date, deps);
    };

    // Act 1: a day, and the same day again.
    const first = await day("2026-08-18", FEED);
    const again = await mailStage(config, "2026-08-18", deps);
    const afterDay1 = await sentMessages(moto);

    // Act 2: Ada clicks one-click unsubscribe in her message; Grace's mailbox bounces for good.
    const ada = afterDay1.find((m) => m.destinations.includes("ada@example.org"));
    const link = /^List-Unsubscribe: <(https:[^>]+)>/m.exec(unfold(ada?.raw_data ?? ""))?.[1] ?? "";
    const optOut = await unsubscribe(functionUrlEvent("POST", new URL(link)));
    const scanner = await unsubscribe(functionUrlEvent("GET", new URL(link)));
    const bounced = await bounces(snsEvent(permanentBounce("grace@example.org")));

    // Act 3: the next day brings new papers (new ids), plus yesterday's again.
    const day2Feed = join(work, "day2.json");
    const entries = JSON.parse(await readFile(FEED, "utf8")) as { paper: { id: string } }[];
    const renamed = structuredClone(entries).map((e) => ({
      ...e,
      paper: { ...e.paper, id: e.paper.id.replace(/^2608\./, "2609.") },
    }));
    await writeFile(day2Feed, JSON.stringify([...entries, ...renamed]));
    const second = await day("2026-08-19", day2Feed);
    const messages = await sentMessages(moto);

    // Assess
    expect(first.sent).toHaveLength(3);
    expect(again.sent).toEqual([]);
    expect(again.alreadySent).toHaveLength(3);
    expect(afterDay1).toHaveLength(3);
    expect(typeof optOut === "object" && optOut.statusCode).toBe(200);
    expect(typeof scanner === "object" && scanner.statusCode).toBe(200);
    expect(bounced.suppressed).toBe(1);
    expect(second.suppressed.sort()).toEqual(["ada@example.org", "grace@example.org"]);
    expect(second.sent.map((s) => s.subscriber)).toEqual(["alan@example.org"]);
    expect(messages).toHaveLength(4);
    const alanDay2 =
      messages.filter((m) => m.destinations.includes("alan@example.org")).at(-1)?.raw_data ?? "";
    const alanDay1 = afterDay1.find((m) => m.destinations.includes("alan@example.org"))?.raw_data ?? "";
    const ids = (raw: string) => new Set(unfold(raw).match(/arxiv\.org\/abs\/\d{4}\.\d{5}/g) ?? []);
    const repeated = [...ids(alanDay2)].filter((id) => ids(alanDay1).has(id));
    expect(repeated).toEqual([]);
  }, 120_000);
});

function unfold(raw: string): string {
  return raw.replace(/=\r?\n/g, "").replace(/\r?\n[ \t]+/g, " ");
}

async function sentMessages(moto: MotoServer): Promise<MotoMessage[]> {
  const data = (await (await fetch(`${moto.endpoint}/moto-api/data.json`)).json()) as {
    ses?: { RawMessage?: MotoMessage[] };
  };
  return data.ses?.RawMessage ?? [];
}

/** The event a Lambda Function URL delivers for a request to `url`. */
function functionUrlEvent(method: string, url: URL): LambdaFunctionURLEvent {
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers: { "content-type": "application/x-www-form-urlencoded" },
    queryStringParameters: Object.fromEntries(url.searchParams),
    body: method === "POST" ? "List-Unsubscribe=One-Click" : undefined,
    isBase64Encoded: false,
    requestContext: {
      accountId: "anonymous",
      apiId: "paperboy",
      domainName: url.host,
      domainPrefix: "paperboy",
      http: { method, path: url.pathname, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "test" },
      requestId: "r-1",
      routeKey: "$default",
      stage: "$default",
      time: "18/Aug/2026:08:00:00 +0000",
      timeEpoch: 0,
    },
  };
}

function permanentBounce(address: string): string {
  return JSON.stringify({
    eventType: "Bounce",
    bounce: {
      bounceType: "Permanent",
      bounceSubType: "General",
      bouncedRecipients: [{ emailAddress: address }],
    },
    mail: { messageId: "ses-x", destination: [address], headers: [] },
  });
}

function snsEvent(message: string): SNSEvent {
  return {
    Records: [
      {
        EventVersion: "1.0",
        EventSubscriptionArn: "arn:aws:sns:us-east-1:000000000000:feedback:1",
        EventSource: "aws:sns",
        Sns: {
          SignatureVersion: "1",
          Timestamp: "2026-08-18T08:00:00Z",
          Signature: "x",
          SigningCertUrl: "https://sns.example/cert.pem",
          MessageId: "m-1",
          Message: message,
          MessageAttributes: {},
          Type: "Notification",
          UnsubscribeUrl: "https://sns.example/unsubscribe",
          TopicArn: "arn:aws:sns:us-east-1:000000000000:feedback",
        },
      },
    ],
  };
}
