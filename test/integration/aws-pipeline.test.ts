/**
 * The three real Lambda handlers, in order and in-process, against a real local S3 and SES (moto_server)
 * and a local HTTP server serving recorded feeds; then the bucket's keys and the messages SES received.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { CreateConfigurationSetCommand, SESClient, VerifyEmailIdentityCommand } from "@aws-sdk/client-ses";
import { type ParsedMail, simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { stageConfigFile } from "../../infra/lib/constructs/paperboy-function.js";
import { STAGE_ACCESS } from "../../infra/lib/paperboy-stack.js";
import { parseConfig } from "../../shared/config/load.js";
import { keys } from "../../shared/domain/keys.js";
import { subscriberId } from "../../shared/domain/subscriber.js";
import { decodeDigestsFile } from "../../shared/pipeline/digests-file.js";
import type { DigestsFile } from "../../shared/pipeline/stages.js";
import { keyFromSecretString } from "../../shared/unsubscribe/signing-key.js";
import { verifyUnsubscribe } from "../../shared/unsubscribe/token.js";
import { type MotoServer, startMoto } from "../support/moto.js";

const FEEDS = join(import.meta.dirname, "../fixtures/feeds");
const BUCKET = "paperboy-integration";
const CONFIGURATION_SET = "paperboy-integration";
const SENDER = "digest@paperboy.example";
const DATE = "2026-08-18";
/** What the schedule sends: 00:30 in Berlin on the 18th is still the 17th in UTC. */
const SCHEDULED_TIME = "2026-08-17T22:30:00Z";
/** Like the stack's generated key: 64 letters and digits in Secrets Manager. */
const SIGNING_SECRET = "k3Y9".repeat(16);
/** Stands in for the unsubscribe Function URL the stack sets on the mail function. */
const UNSUBSCRIBE_BASE_URL = "https://abc123.lambda-url.eu-central-1.on.aws/";

/** What the mail handler returns: counts only. */
interface MailCounts {
  date: string;
  sent: number;
  alreadySent: number;
  failed: number;
}

interface SesRawMessage {
  id: string;
  source: string;
  destinations: string[];
  raw_data: string;
}

type Handler = (event: unknown) => Promise<unknown>;
type Stage = keyof typeof STAGE_ACCESS;
/** One S3 call a handler made: the command and the key or prefix it named. */
interface S3Call {
  command: string;
  key: string;
}
let moto: MotoServer;
let feeds: Server;
let s3: S3Client;
let handlers: Record<Stage, Handler>;
/** Every S3 call of every stage run, to check against the IAM grants of the stack. */
const s3Calls: Record<Stage, S3Call[]> = { fetch: [], classify: [], mail: [] };
const savedEnv = { ...process.env };

beforeAll(async () => {
  moto = await startMoto();
  feeds = await serveFeeds();
  const address = feeds.address();
  const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  const config = parseConfig(configYaml(base), "integration.yaml");
  Object.assign(process.env, moto.env, {
    PAPERBOY_BUCKET: BUCKET,
    PAPERBOY_CONFIG_FILE: stageConfigFile(config),
    PAPERBOY_SES_CONFIGURATION_SET: CONFIGURATION_SET,
    POWERTOOLS_LOG_LEVEL: "WARN",
    POWERTOOLS_METRICS_NAMESPACE: "Paperboy",
    AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING: "1",
  });
  s3 = new S3Client(moto.clientConfig);
  const ses = new SESClient(moto.clientConfig);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const secret = await new SecretsManagerClient(moto.clientConfig).send(
    new CreateSecretCommand({ Name: "paperboy-unsubscribe", SecretString: SIGNING_SECRET }),
  );
  Object.assign(process.env, {
    PAPERBOY_UNSUBSCRIBE_SECRET_ARN: secret.ARN,
    PAPERBOY_UNSUBSCRIBE_BASE_URL: UNSUBSCRIBE_BASE_URL,
  });
  await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: SENDER }));
  await ses.send(new CreateConfigurationSetCommand({ ConfigurationSet: { Name: CONFIGURATION_SET } }));
  // Imported after the environment is set: the handlers build their SDK clients from it, as on Lambda.
  handlers = {
    fetch: (await import("../../functions/fetch/handler.js")).handler,
    classify: (await import("../../functions/classify/handler.js")).handler,
    mail: (await import("../../functions/mail/handler.js")).handler,
  };
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => feeds?.close(resolve));
  await moto?.stop();
  process.env = savedEnv;
});

describe("the daily run on a local AWS", () => {
  let mailCounts: MailCounts;
  /** Readers whose digest has papers: the ones who get an email. */
  let readers: string[];
  let messages: SesRawMessage[];
  let parsed: ParsedMail[];
  let digests: DigestsFile;

  it("fetch → classify → mail, with the date taken from the schedule's event", async () => {
    const fetched = (await runStage("fetch", { date: SCHEDULED_TIME })) as { date: string; papers: number };
    expect(fetched.date).toBe(DATE);
    expect(fetched.papers).toBeGreaterThan(10);
    const classified = (await runStage("classify", { date: DATE })) as { date: string; tagged: number };
    expect(classified.tagged).toBeGreaterThan(0);
    mailCounts = (await runStage("mail", { date: DATE })) as MailCounts;
    expect(mailCounts).toMatchObject({ date: DATE, failed: 0, alreadySent: 0 });

    digests = decodeDigestsFile(await readObject(keys.digests(DATE)), keys.digests(DATE));
    readers = digests.digests.filter((d) => d.items.length > 0).map((d) => d.subscriber.email);
    expect(readers.length).toBeGreaterThan(0);
    expect(mailCounts.sent).toBe(readers.length);
    messages = await sesMessages();
    parsed = await Promise.all(messages.map((m) => simpleParser(m.raw_data)));
  });

  it("leaves raw papers, results, rendered digests, the archive and sent markers under the key layout", async () => {
    const stored = await listKeys();
    expect(stored).toEqual(
      expect.arrayContaining([
        keys.tagged(DATE),
        keys.digests(DATE),
        keys.archive(DATE),
        keys.runSummary(DATE),
      ]),
    );
    expect(stored.filter((k) => k.startsWith(keys.rawPrefix(DATE)))).toHaveLength(2);
    for (const reader of readers) {
      const id = subscriberId(reader);
      expect(stored).toContain(keys.sentMarker(DATE, id));
      expect(stored).toContain(keys.digestEml(DATE, id));
    }
  });

  it("puts a one-click unsubscribe link signed with the Secrets Manager key and on the Function URL in each message", () => {
    const key = keyFromSecretString(SIGNING_SECRET, "test");
    expect(parsed.length).toBeGreaterThan(0);
    for (const message of parsed) {
      // mailparser folds the List-* headers into one "list" entry.
      const list = message.headers.get("list") as { unsubscribe?: { url?: string } } | undefined;
      const link = new URL(list?.unsubscribe?.url ?? "http://missing/");
      expect(`${link.origin}/`).toBe(UNSUBSCRIBE_BASE_URL);
      const reader = addresses(message.to)[0] ?? "";
      expect(verifyUnsubscribe(key, link.searchParams.get("s"), link.searchParams.get("sig"))).toBe(
        subscriberId(reader),
      );
    }
    for (const message of messages) {
      expect(message.raw_data).toMatch(/\r?\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r?\n/);
    }
  });

  it("sends one message per reader with papers, from the verified sender", async () => {
    expect(messages).toHaveLength(readers.length);
    for (const message of messages) expect(message.source).toBe(`Paperboy <${SENDER}>`);
    const recipients = parsed.flatMap((m) => addresses(m.to));
    expect(recipients.sort()).toEqual([...readers].sort());
    // Each sent marker names the SES message id of its reader's message.
    for (const reader of readers) {
      const marker = JSON.parse(await readObject(keys.sentMarker(DATE, subscriberId(reader)))) as {
        messageId: string;
      };
      const message = messages.find((m) => m.id === marker.messageId);
      expect(message?.destinations).toContain(reader);
    }
  });

  it("each message has the digest's subject, both bodies with the reader's papers, and the headers", async () => {
    for (const mail of parsed) {
      const to = addresses(mail.to)[0] ?? "";
      const digest = digests.digests.find((d) => d.subscriber.email === to);
      const first = digest?.items[0]?.paper;
      expect(first).toBeDefined();
      expect(mail.subject).toMatch(/^Paperboy\b/);
      // The copy kept under digests/<date>/ is the message SES got.
      const kept = await simpleParser(await readObject(keys.digestEml(DATE, subscriberId(to))));
      expect(kept.subject).toBe(mail.subject);
      expect(kept.messageId).toBe(mail.messageId);
      expect(addresses(mail.from)).toEqual([SENDER]);
      expect(mail.replyTo && addresses(mail.replyTo)).toEqual(["editor@paperboy.example"]);
      expect(mail.headers.get("x-paperboy-date")).toBe(DATE);
      expect(mail.messageId).toMatch(/^<.+@.+>$/);
      expect(mail.text).toContain(first?.title.slice(0, 30));
      expect(typeof mail.html === "string" && mail.html.includes("<html")).toBe(true);
      expect(String(mail.html)).toContain(`arxiv.org/abs/${first?.id}`);
    }
  });

  it("each stage reads and writes only under the key prefixes its IAM role is granted", () => {
    for (const stage of Object.keys(s3Calls) as Stage[]) {
      const access: { read?: readonly string[]; write: readonly string[] } = STAGE_ACCESS[stage];
      const calls = s3Calls[stage];
      expect(calls.length, stage).toBeGreaterThan(0);
      for (const call of calls) {
        // ListObjectsV2 needs s3:ListBucket, which every stage has on the bucket.
        if (call.command === "ListObjectsV2Command") continue;
        const allowed = call.command === "GetObjectCommand" ? (access.read ?? []) : access.write;
        expect(
          allowed.some((prefix) => call.key.startsWith(prefix)),
          `${stage}: ${call.command} ${call.key}`,
        ).toBe(true);
      }
    }
  });

  it("a re-run for the same date sends nothing twice", async () => {
    const again = (await runStage("mail", { date: DATE })) as MailCounts;
    expect(again).toMatchObject({ sent: 0, alreadySent: readers.length, failed: 0 });
    expect(await sesMessages()).toHaveLength(messages.length);
  });

  it("rejects an event without a usable date, naming the field", async () => {
    await expect(handlers.mail({ date: "yesterday" })).rejects.toMatchObject({
      name: "RunRequestError",
      message: expect.stringContaining("event.date"),
    });
  });
});

/** Runs one real handler and records the S3 calls it made. */
async function runStage(stage: Stage, event: unknown): Promise<unknown> {
  const spy = vi.spyOn(S3Client.prototype, "send");
  try {
    return await handlers[stage](event);
  } finally {
    for (const [command] of spy.mock.calls as unknown as [{ input: { Key?: string; Prefix?: string } }][]) {
      s3Calls[stage].push({
        command: command.constructor.name,
        key: command.input.Key ?? command.input.Prefix ?? "",
      });
    }
    spy.mockRestore();
  }
}

function configYaml(base: string): string {
  return `
sources:
  - type: huggingface
    url: ${base}/api/daily_papers
  - type: arxiv
    url: ${base}/rss/
    categories: [cs.LG]
topics:
  - id: agents
    name: LLM agents and tool use
    keywords: [LLM agent, tool use, agentic, function calling, GUI agent, multi-agent, agent]
  - id: diffusion
    name: Image and video generation
    keywords: [diffusion model, text-to-image, video generation, image editing, image generation]
  - id: rl-llm
    name: Reinforcement learning for language models
    keywords: [reinforcement learning, RLHF, GRPO, PPO, reward model, policy optimization]
subscribers:
  - email: ada@example.org
    name: Ada
    topics: [agents, rl-llm]
    maxPapers: 5
  - email: grace@example.org
    topics: [diffusion]
    maxPapers: 3
delivery:
  from: "Paperboy <${SENDER}>"
  replyTo: editor@paperboy.example
schedule:
  time: "00:30"
  timezone: Europe/Berlin
ranking:
  threshold: 0.2
`;
}

/** HF Daily Papers at /api/daily_papers?date=…, arXiv RSS at /rss/cs.LG, from the recorded fixtures. */
async function serveFeeds(): Promise<Server> {
  const hf = readFileSync(join(FEEDS, "hf_daily_papers_api_2026-08-18.json"));
  const rss = readFileSync(join(FEEDS, "arxiv_rss2_2026_trimmed_cs_lg.xml"));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname === "/api/daily_papers" && url.searchParams.get("date") === DATE) {
      res.writeHead(200, { "content-type": "application/json" }).end(hf);
    } else if (url.pathname === "/rss/cs.LG") {
      res.writeHead(200, { "content-type": "application/rss+xml" }).end(rss);
    } else {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

async function sesMessages(): Promise<SesRawMessage[]> {
  const res = await fetch(`${moto.endpoint}/moto-api/data.json`);
  const data = (await res.json()) as { ses?: { RawMessage?: SesRawMessage[] } };
  return data.ses?.RawMessage ?? [];
}

async function listKeys(): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  return (out.Contents ?? []).map((o) => o.Key ?? "");
}

async function readObject(key: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return (await out.Body?.transformToString("utf8")) ?? "";
}

function addresses(field: ParsedMail["to"] | ParsedMail["from"] | ParsedMail["replyTo"]): string[] {
  return [field ?? []].flat().flatMap((a) => a.value.map((v) => v.address ?? ""));
}
