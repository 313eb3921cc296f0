import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../shared/config/load.js";
import { runCli } from "../support/cli.js";

const CONFIG = "test/fixtures/demo/paperboy.demo.yaml";
const HF_DAYS = ["2024-05-27", "2025-06-03", "2026-08-18"];
const hfFeed = (day: string) => `test/fixtures/feeds/hf_daily_papers_api_${day}.json`;
/** `paperboy run` of the demo config on the recorded 2026-08-18 HF day into `out`. */
const runArgs = (out: string, ...extra: string[]) => [
  "run",
  "--config",
  CONFIG,
  "--feed",
  hfFeed("2026-08-18"),
  "--date",
  "2026-08-18",
  "--out",
  out,
  ...extra,
];

interface RankJson {
  papers: { id: string; title: string; tags: string[] }[];
  digests: {
    subscriber: string;
    papers: { id: string; title: string; score: number; topics: string[]; why: string }[];
  }[];
}

describe("paperboy CLI, end to end", () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "paperboy-cli-"));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it("validate accepts the example config", async () => {
    const result = await runCli(["validate", "--config", "paperboy.config.yaml"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/paperboy\.config\.yaml: ok — 2 sources, 7 topics, 3 subscribers/);
  });

  it.each([
    [
      "an unknown topic",
      (t: string) => t.replace("topics: [diffusion, 3d]", "topics: [diffusion, robots]"),
      /^paperboy: .*bad\.yaml:\d+:\d+: subscribers\[1\]\.topics\[1\]: unknown topic "robots"\n$/,
    ],
    [
      "a YAML syntax error",
      (t: string) => `${t}\n  - [unclosed`,
      /^paperboy: .*bad\.yaml:\d+:\d+: YAML syntax error: /,
    ],
    ["a missing file", () => null, /^paperboy: .*missing\.yaml: file not found\n$/],
  ])("validate rejects %s with one line and exit code 2", async (_name, edit, expected) => {
    const text = edit(await readFile(CONFIG, "utf8"));
    const file = join(work, text === null ? "missing.yaml" : "bad.yaml");
    if (text !== null) await writeFile(file, text);
    const result = await runCli(["validate", "--config", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(expected);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [
      ["run", "--config", CONFIG, "--date", "2026-02-30", "--feed", hfFeed("2026-08-18")],
      /--date: expected a date YYYY-MM-DD, got "2026-02-30"/,
    ],
    [
      ["run", "--config", CONFIG, "--feed", "nope/feed.xml", "--out", "/tmp/paperboy-never"],
      /nope\/feed\.xml/,
    ],
    [["rank", "--no-such-flag"], /unknown option '--no-such-flag'/],
  ])("bad input %j exits 2 with one clear line", async (args, expected) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(expected);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it.each(HF_DAYS)(
    "rank --json on the recorded HF day %s gives every reader at most maxPapers, best first, with topics and why",
    async (day) => {
      // Prepare
      const config = parseConfig(await readFile(CONFIG, "utf8"), CONFIG);
      // Act
      const result = await runCli([
        "rank",
        "--config",
        CONFIG,
        "--feed",
        hfFeed(day),
        "--date",
        day,
        "--json",
      ]);
      // Assess
      expect(result.code, result.stderr).toBe(0);
      const ranked = JSON.parse(result.stdout) as RankJson;
      const raw = JSON.parse(await readFile(hfFeed(day), "utf8")) as unknown[];
      expect(ranked.papers).toHaveLength(raw.length);
      expect(ranked.digests.map((d) => d.subscriber)).toEqual(config.subscribers.map((s) => s.email));
      const tagsById = new Map(ranked.papers.map((p) => [p.id, p.tags]));
      for (const [i, digest] of ranked.digests.entries()) {
        const subscriber = config.subscribers[i];
        expect(digest.papers.length).toBeLessThanOrEqual(subscriber?.maxPapers ?? 0);
        const scores = digest.papers.map((p) => p.score);
        expect(scores).toEqual([...scores].sort((a, b) => b - a));
        for (const paper of digest.papers) {
          expect(paper.topics.length).toBeGreaterThan(0);
          expect(paper.topics.every((t) => subscriber?.topics.includes(t))).toBe(true);
          expect(tagsById.get(paper.id)).toEqual(expect.arrayContaining(paper.topics));
          expect(paper.why.length).toBeGreaterThan(10);
        }
      }
    },
  );

  it("run writes one .eml + .html per reader with papers, says where, and sends nothing twice on a re-run", async () => {
    // Prepare
    const out = join(work, "run");
    const args = runArgs(out);
    // Act
    const first = await runCli(args);
    const outbox = join(out, "outbox", "2026-08-18");
    const files = (await readdir(outbox)).sort();
    const second = await runCli(args);
    // Assess
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Sources:\n\s+✓ .*: 29 papers/);
    const emls = files.filter((f) => f.endsWith(".eml"));
    expect(emls.length).toBeGreaterThanOrEqual(2);
    expect(files.filter((f) => f.endsWith(".html"))).toHaveLength(emls.length);
    for (const eml of emls) expect(first.stdout).toContain(eml);
    const message = await simpleParser(await readFile(join(outbox, emls[0] ?? "")));
    expect(message.subject).toMatch(/2026|Aug/);
    expect(message.html).toBeTruthy();
    expect(message.text).toBeTruthy();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/already delivered/);
    expect((await readdir(outbox)).sort()).toEqual(files);
  });
});

describe("paperboy run on worker threads", () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "paperboy-cli-threads-"));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it("writes the same messages with --threads 3 as with --threads 0", async () => {
    // Act
    const [one, three] = await Promise.all([
      runCli(runArgs(join(work, "one"), "--threads", "0")),
      runCli(runArgs(join(work, "three"), "--threads", "3")),
    ]);

    // Assess
    expect(one.code, one.stderr).toBe(0);
    expect(three.code, three.stderr).toBe(0);
    const outbox = (name: string) => join(work, name, "outbox", "2026-08-18");
    const files = (await readdir(outbox("one"))).sort();
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect((await readdir(outbox("three"))).sort()).toEqual(files);
    for (const file of files) {
      const [a, b] = await Promise.all([
        readFile(join(outbox("one"), file)),
        readFile(join(outbox("three"), file)),
      ]);
      // The Date header is the moment of composing; everything else must match byte for byte.
      const withoutDate = (raw: Buffer) => raw.toString("latin1").replace(/^Date: .*\r\n/m, "");
      expect(withoutDate(b), file).toBe(withoutDate(a));
    }
  });

  it.each(["-1", "two", "1.5", "65"])("rejects --threads %s with one line and exit code 2", async (bad) => {
    const result = await runCli(runArgs(join(work, `bad-${bad}`), "--threads", bad));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^paperboy: --threads: expected a whole number 0-64, got "[^"]*"\n$/);
  });
});
