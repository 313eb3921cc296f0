import { describe, expect, it } from "vitest";
import { parseConfig } from "../../shared/config/load.js";
import type { Digest } from "../../shared/domain/tagging.js";
import { type ComposeSetup, createComposer } from "../../shared/pipeline/compose.js";
import { createComposerPool } from "../../shared/pipeline/compose-pool.js";
import { hfDayPapers, sampleDigest } from "../support/browser.js";

const CONFIG = `
sources: [{ type: huggingface }]
topics:
  - { id: agents, name: Agents, keywords: [agent] }
  - { id: vision, name: Vision, keywords: [image] }
  - { id: reasoning, name: Reasoning, keywords: [reasoning] }
subscribers:
  - { email: ana@example.org, topics: [agents] }
delivery:
  from: "Paperboy <digest@paperboy.example>"
  archiveBaseUrl: https://digest.paperboy.example/
`;

function setup(): ComposeSetup {
  const config = parseConfig(CONFIG, "pool.yaml");
  return {
    config,
    date: "2026-08-18",
    notes: ["Source arXiv cs.LG could not be read today; its papers are missing."],
    emptyNote: "Nothing new matched your topics today.",
    unsubscribe: { baseUrl: "https://paperboy.example/u", key: new Uint8Array(32).fill(7) },
    preview: true,
  };
}

/** Readers with different papers, topics and names, and one with nothing today. */
function digests(): Digest[] {
  const papers = hfDayPapers();
  const list = Array.from({ length: 24 }, (_, i) => {
    const digest = sampleDigest(
      papers.slice(i % 9),
      i % 2 ? ["agents"] : ["agents", "vision", "reasoning"],
      3 + (i % 7),
    );
    return {
      ...digest,
      subscriber: { ...digest.subscriber, email: `reader${i}@example.org`, name: `Reader ${i}` },
    };
  });
  const empty = sampleDigest(papers, ["vision"], 0);
  return [...list, { ...empty, subscriber: { ...empty.subscriber, email: "quiet@example.org" } }];
}

// The Date header is the moment of composing; everything else must match byte for byte.
const withoutDate = (raw: Buffer) => raw.toString("latin1").replace(/^Date: .*\r\n/m, "");

describe("compose pool", () => {
  it("composes on worker threads exactly what this thread composes", async () => {
    // Prepare
    const here = createComposer(setup());
    const pool = createComposerPool(setup(), { threads: 2 });
    const list = digests();

    // Act
    const [ours, theirs] = await Promise.all([
      Promise.all(list.map((d) => here.compose(d))),
      Promise.all(list.map((d) => pool.compose(d))),
    ]);
    const stats = pool.stats();
    await pool.close();

    // Assess
    expect(stats).toMatchObject({ onWorkers: list.length, here: 0, workerFailures: 0 });
    theirs.forEach((message, i) => {
      expect(withoutDate(message.raw)).toBe(withoutDate(ours[i]?.raw ?? Buffer.alloc(0)));
      expect(message.html?.equals(ours[i]?.html ?? Buffer.alloc(0))).toBe(true);
      expect(message.unsubscribeUrl).toBe(ours[i]?.unsubscribeUrl);
    });
    expect(new Set(theirs.map((m) => m.unsubscribeUrl)).size).toBe(list.length);
  });

  it("rejects only the message that cannot be composed", async () => {
    // Prepare
    const pool = createComposerPool(setup(), { threads: 2 });
    const list = digests().slice(0, 6);
    const bad = {
      ...list[2],
      subscriber: { ...list[2]?.subscriber, email: "two@example.org, three@example.org" },
    };
    list[2] = bad as Digest;

    // Act
    const results = await Promise.allSettled(list.map((d) => pool.compose(d)));
    await pool.close();

    // Assess
    expect(results.map((r) => r.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
      "fulfilled",
    ]);
    const rejected = results[2];
    expect(rejected?.status === "rejected" ? String(rejected.reason) : "").toMatch(
      /to must be one e-mail address/,
    );
  });

  it("composes in this thread what a dying worker held: nothing is lost", async () => {
    // Prepare
    const pool = createComposerPool(setup(), {
      threads: 2,
      workerScript: new URL("../support/dying-worker.mjs", import.meta.url),
    });
    const here = createComposer(setup());
    const list = digests();

    // Act
    const theirs = await Promise.all(list.map((d) => pool.compose(d)));
    const ours = await Promise.all(list.map((d) => here.compose(d)));
    const stats = pool.stats();
    await pool.close();

    // Assess
    expect(stats.workerFailures).toBeGreaterThanOrEqual(1);
    expect(stats.onWorkers).toBe(0);
    expect(stats.here).toBe(list.length);
    theirs.forEach((message, i) => {
      expect(withoutDate(message.raw)).toBe(withoutDate(ours[i]?.raw ?? Buffer.alloc(0)));
    });
  });

  it("refuses work once closed", async () => {
    const pool = createComposerPool(setup(), { threads: 1 });
    await pool.compose(digests()[0] as Digest);
    await pool.close();
    await expect(pool.compose(digests()[0] as Digest)).rejects.toThrow(/closed/);
  });
});
