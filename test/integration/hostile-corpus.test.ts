/**
 * Item 5 of the reliability issue, end to end through the CLI: every hostile or malformed feed ends
 * with exit 0 (bad entries skipped and counted) or 2 (one clear line) — no stack trace, no hang — and
 * no message carries markup, script, an extra header, a control/bidi character or a non-https link.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HostileCase, hostileCorpus } from "../fixtures/hostile/corpus.js";
import { type CliResult, runCli } from "../support/cli.js";

const DATE = "2026-08-18";
const CASE_TIMEOUT_MS = 90_000;
const PARALLEL = 3;

// Headers a digest may carry; anything else (Bcc, X-Injected, a second Subject) is an injection.
const ALLOWED_HEADERS = new Set([
  "from",
  "to",
  "reply-to",
  "subject",
  "date",
  "message-id",
  "mime-version",
  "content-type",
  "content-transfer-encoding",
  "list-unsubscribe",
  "list-unsubscribe-post",
  "x-paperboy-date",
]);
/** C0 controls except tab/LF/CR, DEL, C1 controls, bidi embeddings/overrides/isolates. */
function hasControlOrBidi(value: string): boolean {
  for (const ch of value) {
    const c = ch.codePointAt(0) ?? 0;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || (c >= 0x7f && c <= 0x9f)) return true;
    if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return true;
  }
  return false;
}

const CONFIG = {
  sources: [{ type: "huggingface" }],
  topics: [
    {
      id: "agents",
      name: "LLM agents and tool use",
      description: "language model agents that plan and use tools",
      keywords: ["LLM agents", "agents", "tool use"],
    },
  ],
  subscribers: [{ email: "reader@example.org", topics: ["agents"], maxPapers: 100 }],
  delivery: { emptyDigest: "note" },
  ranking: { threshold: 0.05 },
};

interface CaseResult {
  name: string;
  code: number | null;
  ms: number;
  messages: number;
  skippedLine?: string;
  problems: string[];
}

describe("hostile corpus through `paperboy run`", () => {
  let work: string;
  let config: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "paperboy-hostile-"));
    config = join(work, "paperboy.yaml");
    await writeFile(config, JSON.stringify(CONFIG, null, 2));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it("every case exits 0 or 2, with clean messages", async () => {
    // Prepare
    const corpus = hostileCorpus();

    // Act: a few CLI runs at a time.
    const results: CaseResult[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < corpus.length) {
          const hostile = corpus[next++] as HostileCase;
          results.push(await runCase(work, config, hostile));
        }
      }),
    );

    // Assess
    results.sort(
      (a, b) => corpus.findIndex((c) => c.name === a.name) - corpus.findIndex((c) => c.name === b.name),
    );
    await saveFigures(results);
    console.table(results.map(({ problems, ...row }) => ({ ...row, problems: problems.join("; ") })));
    expect(results).toHaveLength(corpus.length);
    expect(results.filter((r) => r.problems.length > 0)).toEqual([]);
    expect(results.reduce((n, r) => n + r.messages, 0)).toBeGreaterThan(10);
  }, 600_000);

  it("a second run of the same date and --out writes no second message", async () => {
    // Prepare
    const hostile = hostileCorpus().find((c) => c.name.startsWith("titles with <script>")) as HostileCase;
    const out = join(work, "rerun");
    const feed = join(work, `rerun-${hostile.file}`);
    await writeFile(feed, hostile.body);
    const args = ["run", "--config", config, "--feed", feed, "--date", DATE, "--out", out];
    const first = await runCli(args, { timeoutMs: CASE_TIMEOUT_MS });
    const outbox = join(out, "outbox", DATE);
    const before = await snapshot(outbox);

    // Act
    const second = await runCli(args, { timeoutMs: CASE_TIMEOUT_MS });

    // Assess
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(before.size).toBeGreaterThan(0);
    expect(await snapshot(outbox)).toEqual(before);
    expect(second.stdout).toMatch(/already delivered for 2026-08-18 \(not sent again\)/);
  }, 200_000);
});

async function runCase(work: string, config: string, hostile: HostileCase): Promise<CaseResult> {
  const dir = join(work, slug(hostile.name));
  await mkdir(dir, { recursive: true });
  const feed = join(dir, hostile.file);
  await writeFile(feed, hostile.body);
  const out = join(dir, "out");
  const started = Date.now();
  let result: CliResult;
  try {
    result = await runCli(["run", "--config", config, "--feed", feed, "--date", DATE, "--out", out], {
      timeoutMs: CASE_TIMEOUT_MS,
    });
  } catch (error) {
    return {
      name: hostile.name,
      code: null,
      ms: Date.now() - started,
      messages: 0,
      problems: [String(error)],
    };
  }
  const ms = Date.now() - started;
  const problems: string[] = [];
  if (!hostile.exit.includes(result.code as 0 | 2))
    problems.push(`exit ${result.code}: ${firstLine(result.stderr)}`);
  if (/\n\s+at /.test(result.stderr)) problems.push("stack trace on stderr");
  if (result.code === 2 && result.stderr.trim().split("\n").length !== 1)
    problems.push("exit 2 without exactly one line");
  const messages = await emlFiles(join(out, "outbox", DATE));
  for (const file of messages) problems.push(...(await inspectMessage(file, hostile)));
  const skipped = /\((\d+) entries skipped\)/.exec(result.stdout);
  return {
    name: hostile.name,
    code: result.code,
    ms,
    messages: messages.length,
    ...(skipped ? { skippedLine: skipped[0] } : {}),
    problems,
  };
}

/** What must never be in a message, whatever the feed said. */
async function inspectMessage(file: string, hostile: HostileCase): Promise<string[]> {
  const raw = await readFile(file);
  const problems: string[] = [];
  const text = raw.toString("utf8");
  const headerBlock = text.slice(0, text.search(/\r?\n\r?\n/));
  for (const line of headerBlock.split(/\r?\n/)) {
    if (/^[ \t]/.test(line)) continue;
    const name = line.slice(0, line.indexOf(":")).toLowerCase();
    if (!ALLOWED_HEADERS.has(name)) problems.push(`unexpected header ${JSON.stringify(name)}`);
  }
  const mail = await simpleParser(raw);
  const html = typeof mail.html === "string" ? mail.html : "";
  const body = mail.text ?? "";
  const subject = mail.subject ?? "";
  if (mail.bcc) problems.push("Bcc header");
  if (/[\r\n]/.test(subject)) problems.push("CR/LF in subject");
  if (/<script|<iframe|<svg|<object|<embed/i.test(html)) problems.push("script/iframe/svg markup in HTML");
  if (/\son[a-z]+\s*=/i.test(html.replace(/<style[\s\S]*?<\/style>/gi, "")))
    problems.push("event-handler attribute in HTML");
  if (/javascript:|vbscript:|data:text/i.test(html + body)) problems.push("script URL");
  for (const [, url] of html.matchAll(/\s(?:href|src|action|background|poster)\s*=\s*["']?([^"'\s>]+)/gi)) {
    if (!url?.startsWith("https://")) problems.push(`non-https link ${JSON.stringify(url?.slice(0, 60))}`);
  }
  for (const [url] of body.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/[^\s)>\]]+/gi)) {
    if (!url.startsWith("https://"))
      problems.push(`non-https link in text ${JSON.stringify(url.slice(0, 60))}`);
  }
  for (const [where, value] of [
    ["subject", subject],
    ["text", body],
    ["html", html],
  ] as const) {
    if (hasControlOrBidi(value)) problems.push(`control or bidi character in ${where}`);
  }
  for (const forbidden of hostile.forbidden ?? []) {
    if (text.includes(forbidden) || html.includes(forbidden) || body.includes(forbidden)) {
      problems.push(`forbidden text ${JSON.stringify(forbidden)}`);
    }
  }
  return problems;
}

async function emlFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => f.endsWith(".eml")).map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/** File name → size and modification time, to see that nothing was written again. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of await readdir(dir)) {
    const info = await stat(join(dir, name));
    out.set(name, `${info.size}:${info.mtimeMs}`);
  }
  return out;
}

async function saveFigures(results: CaseResult[]): Promise<void> {
  const dir = resolve(import.meta.dirname, "../../test-artifacts");
  await mkdir(dir, { recursive: true });
  const figures = {
    cases: results.length,
    exit0: results.filter((r) => r.code === 0).length,
    exit2: results.filter((r) => r.code === 2).length,
    other: results.filter((r) => r.code !== 0 && r.code !== 2).length,
    messages: results.reduce((n, r) => n + r.messages, 0),
    results,
  };
  await writeFile(resolve(dir, "hostile-corpus.json"), `${JSON.stringify(figures, null, 2)}\n`);
}

function slug(name: string): string {
  return name
    .replace(/[^a-z0-9]+/gi, "-")
    .replace(/^-|-$/g, "")
    .toLowerCase();
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0]?.slice(0, 200) ?? "";
}
