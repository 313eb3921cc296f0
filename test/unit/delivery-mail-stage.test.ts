import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FolderStore } from "../../shared/adapters/fs-store.js";
import { OutboxMailer } from "../../shared/adapters/outbox-mailer.js";
import { loadConfigFile } from "../../shared/config/file.js";
import type { PaperboyConfig } from "../../shared/config/schema.js";
import { suppress } from "../../shared/delivery/suppression.js";
import { subscriberId } from "../../shared/domain/subscriber.js";
import { decodeDigestsFile } from "../../shared/pipeline/digests-file.js";
import { classifyStage, fetchStage, mailStage } from "../../shared/pipeline/stages.js";
import type { FeedFetcher, Mailer, OutgoingMessage } from "../../shared/ports/index.js";
import { recordOptOut } from "../../shared/unsubscribe/opt-out.js";

const FEED = "test/fixtures/feeds/hf_daily_papers_api_2026-08-18.json";
const KEY = Buffer.alloc(32, 1);
const noNetwork: FeedFetcher = {
  fetch: () => Promise.reject(new Error("no network in unit tests")),
};

function recordingMailer() {
  const sent: OutgoingMessage[] = [];
  const mailer: Mailer = {
    async send(message) {
      sent.push(message);
      return { messageId: `m-${sent.length}` };
    },
  };
  return { mailer, sent };
}

describe("mail stage: suppression, unsubscribe, history, quiet days", () => {
  let dir: string;
  let store: FolderStore;
  let config: PaperboyConfig;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "paperboy-mail-"));
    store = new FolderStore(join(dir, "store"));
    const base = loadConfigFile("test/fixtures/demo/paperboy.demo.yaml");
    config = {
      ...base,
      delivery: { ...base.delivery, unsubscribeBaseUrl: "https://u.paperboy.example/", emptyDigest: "note" },
    };
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function runDay(date: string, feed: string, mailer: Mailer) {
    await fetchStage(config, date, { store, fetcher: noNetwork }, { feeds: [feed] });
    const classified = await classifyStage(config, date, { store });
    const mailed = await mailStage(config, date, { store, mailer, unsubscribeKey: KEY });
    return { classified, mailed };
  }

  it("sends nothing to a suppressed reader", async () => {
    // Prepare
    await suppress(store, subscriberId("grace@example.org"), {
      reason: "bounce",
      at: "2026-08-17T00:00:00Z",
    });
    const transport = recordingMailer();

    // Act
    const { mailed } = await runDay("2026-08-18", FEED, transport.mailer);

    // Assess
    expect(mailed.suppressed).toEqual(["grace@example.org"]);
    expect(transport.sent.map((m) => m.to).sort()).toEqual(["ada@example.org", "alan@example.org"]);
  });

  it("puts a signed one-click unsubscribe link in every message; using it suppresses the next run", async () => {
    // Prepare
    const transport = recordingMailer();
    await runDay("2026-08-18", FEED, transport.mailer);
    const ada = transport.sent.find((m) => m.to === "ada@example.org");
    const headers = ada?.raw.toString("utf8").replace(/\r?\n[ \t]+/g, " ") ?? "";
    const header = /^List-Unsubscribe-Post: (.*)$/m.exec(headers)?.[1]?.trim();
    const link = /^List-Unsubscribe: <(https:[^>]+)>/m.exec(headers)?.[1] ?? "";
    const url = new URL(link);

    // Act
    const optOut = await recordOptOut(
      store,
      KEY,
      { s: url.searchParams.get("s"), sig: url.searchParams.get("sig") },
      new Date(),
    );
    const next = recordingMailer();
    const { mailed } = await runDay("2026-08-19", FEED, next.mailer);

    // Assess
    expect(header).toBe("List-Unsubscribe=One-Click");
    expect(url.origin).toBe("https://u.paperboy.example");
    expect(optOut).toEqual({ ok: true, subscriberId: subscriberId("ada@example.org") });
    expect(mailed.suppressed).toEqual(["ada@example.org"]);
    expect(next.sent.map((m) => m.to)).not.toContain("ada@example.org");
  });

  it("never sends a paper twice across days, and notices a feed serving yesterday's batch", async () => {
    // Prepare: day 1 is the real HF day; day 2 serves the same papers plus one new one; day 3 repeats day 2.
    const day1 = recordingMailer();
    const first = await runDay("2026-08-18", FEED, day1.mailer);
    const entries = JSON.parse(await readFile(FEED, "utf8")) as { paper: { id: string; title: string } }[];
    const extra = structuredClone(entries[0]);
    if (!extra) throw new Error("fixture is empty");
    extra.paper.id = "2608.99999";
    extra.paper.title = `${extra.paper.title} (follow-up)`;
    const feed2 = join(dir, "day2.json");
    await writeFile(feed2, JSON.stringify([...entries, extra]));

    // Act
    const second = await runDay("2026-08-19", feed2, recordingMailer().mailer);
    const third = await runDay("2026-08-20", feed2, recordingMailer().mailer);

    // Assess
    const day1Papers = await digestPapers(store, "2026-08-18");
    const day2Papers = await digestPapers(store, "2026-08-19");
    expect(first.mailed.sent).toHaveLength(3);
    for (const [email, ids] of day2Papers) {
      const before = day1Papers.get(email) ?? new Set<string>();
      expect([...ids].filter((id) => before.has(id))).toEqual([]);
    }
    expect(second.classified.repeatsLeftOut).toBeGreaterThan(0);
    expect(second.classified.staleSources).toEqual([]);
    expect(third.classified.staleSources).toEqual(["huggingface"]);
    expect(third.classified.quiet?.kind).toBe("stale");
    expect(third.mailed.quiet?.kind).toBe("stale");
  });

  it("explains a weekend with a short note when the config asks for one", async () => {
    // Prepare
    const empty = join(dir, "empty.json");
    await writeFile(empty, "[]");
    const transport = recordingMailer();

    // Act: 2026-08-22 is a Saturday.
    const { classified, mailed } = await runDay("2026-08-22", empty, transport.mailer);

    // Assess
    expect(classified.quiet?.kind).toBe("weekend");
    expect(mailed.sent).toHaveLength(3);
    const text = (await simpleParser(transport.sent[0]?.raw ?? Buffer.alloc(0))).text ?? "";
    expect(text).toMatch(/weekends/);
  });

  it("skips the email on an empty day when the config says skip, and says why", async () => {
    config = { ...config, delivery: { ...config.delivery, emptyDigest: "skip" } };
    const empty = join(dir, "empty.json");
    await writeFile(empty, "[]");
    const transport = recordingMailer();
    const { mailed } = await runDay("2026-08-18", empty, transport.mailer);
    expect(transport.sent).toHaveLength(0);
    expect(mailed.empty).toHaveLength(3);
    expect(mailed.quiet?.kind).toBe("no-announcements");
  });

  it("paces sending under delivery.maxSendRate and retries SES throttling", async () => {
    // Prepare: 6 readers at 5 messages a second; SES throttles the first attempt of every second message.
    config = sixReadersAt(config, 5);
    const attempts: number[] = [];
    let calls = 0;
    const mailer: Mailer = {
      async send() {
        attempts.push(Date.now());
        calls++;
        if (calls % 2 === 0) {
          throw Object.assign(new Error("Maximum sending rate exceeded."), {
            name: "Throttling",
            $metadata: { httpStatusCode: 400 },
          });
        }
        return { messageId: `m-${calls}` };
      },
    };

    // Act
    const { mailed } = await runDay("2026-08-18", FEED, mailer);

    // Assess: every reader got one message, and no two attempts came closer than the pace allows.
    expect(mailed.sent).toHaveLength(6);
    const gaps = attempts.slice(1).map((t, i) => t - (attempts[i] ?? t));
    // Slots are exactly 200 ms apart; the send itself may start a few ms late after rendering, so one gap
    // can look shorter by that much. Unpaced sending would show gaps near 0.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(175);
    const span = (attempts.at(-1) ?? 0) - (attempts[0] ?? 0);
    expect(span).toBeGreaterThanOrEqual((attempts.length - 1) * 200 - 25);
  });

  it("does not pace a transport without a send quota (the local outbox) under delivery.maxSendRate", async () => {
    // Prepare: 1 message a second would make six readers take 5 s if the stage paced this transport.
    config = sixReadersAt(config, 1);
    const attempts: number[] = [];
    const mailer: Mailer = {
      unpaced: true,
      async send() {
        attempts.push(Date.now());
        return { messageId: `m-${attempts.length}` };
      },
    };

    // Act
    const { mailed } = await runDay("2026-08-18", FEED, mailer);

    // Assess
    expect(mailed.sent).toHaveLength(6);
    expect((attempts.at(-1) ?? 0) - (attempts[0] ?? 0)).toBeLessThan(1000);
    expect(new OutboxMailer(join(tmpdir(), "never-written")).unpaced).toBe(true);
  });

  it("records one reader's permanent failure and goes on with the others", async () => {
    const sent: string[] = [];
    const mailer: Mailer = {
      async send(message) {
        if (message.to === "ada@example.org") {
          throw Object.assign(new Error("Address blacklisted."), {
            name: "MessageRejected",
            $metadata: { httpStatusCode: 400 },
          });
        }
        sent.push(message.to);
        return { messageId: "ok" };
      },
    };
    const { mailed } = await runDay("2026-08-18", FEED, mailer);
    expect(mailed.failed).toEqual([
      { subscriber: "ada@example.org", error: "MessageRejected: Address blacklisted." },
    ]);
    expect(sent.sort()).toEqual(["alan@example.org", "grace@example.org"]);
    const summary = JSON.parse((await store.get("state/runs/2026-08-18.json"))?.toString() ?? "{}") as {
      counts?: { failed?: number; sent?: number };
    };
    expect(summary.counts).toMatchObject({ failed: 1, sent: 2 });
  });
});

/** Paper ids of each reader's digest for a date, as the classify stage wrote them. */
async function digestPapers(store: FolderStore, date: string): Promise<Map<string, Set<string>>> {
  const key = `results/${date}/digests.json`;
  const file = decodeDigestsFile((await store.get(key))?.toString() ?? "", key);
  return new Map(file.digests.map((d) => [d.subscriber.email, new Set(d.items.map((i) => i.paper.id))]));
}

/** The config with six readers of "agents" (3 papers each) and `maxSendRate` messages a second. */
function sixReadersAt(config: PaperboyConfig, maxSendRate: number): PaperboyConfig {
  return {
    ...config,
    subscribers: Array.from({ length: 6 }, (_, i) => ({
      email: `r${i}@example.org`,
      topics: ["agents"],
      maxPapers: 3,
    })),
    delivery: { ...config.delivery, maxSendRate, emptyDigest: "note" },
  };
}
