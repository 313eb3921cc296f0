/**
 * Render benchmark: 10,000 digests of 10 papers drawn from a 2,000-paper pool, through one day's
 * createDigestRenderer (paper cards rendered once, messages assembled). Prints the per-message render time,
 * the uncached cost for comparison, and MIME building for a sample.
 *
 *   NODE_ENV=production npx tsx scripts/bench-render.ts [--readers 10000] [--pool 2000] [--papers 10]
 *
 * NODE_ENV=production makes React use its production build, as the Lambda bundles do.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { TopicConfig } from "../shared/config/schema.js";
import type { Paper } from "../shared/domain/paper.js";
import type { Digest } from "../shared/domain/tagging.js";
import { buildMessage, createDigestRenderer, type RenderContext } from "../shared/render/index.js";

const { values } = parseArgs({
  options: {
    readers: { type: "string", default: "10000" },
    pool: { type: "string", default: "2000" },
    papers: { type: "string", default: "10" },
  },
});
const READERS = Number(values.readers);
const POOL = Number(values.pool);
const PER_DIGEST = Number(values.papers);

/** Deterministic PRNG (mulberry32) so every run renders the same digests. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface HfEntry {
  paper: {
    id: string;
    title: string;
    summary: string;
    authors: Array<{ name: string }>;
    ai_summary?: string;
    upvotes?: number;
    githubRepo?: string;
  };
  thumbnail?: string;
}

/** Real recorded HF days, repeated with new ids (and half without AI summary) up to the pool size. */
function paperPool(size: number): Paper[] {
  const files = [
    "hf_daily_papers_api_2024-05-27.json",
    "hf_daily_papers_api_2025-06-03.json",
    "hf_daily_papers_api_2026-08-18.json",
  ];
  const entries = files.flatMap(
    (name) =>
      JSON.parse(
        readFileSync(fileURLToPath(new URL(`../test/fixtures/feeds/${name}`, import.meta.url)), "utf8"),
      ) as HfEntry[],
  );
  return Array.from({ length: size }, (_, at): Paper => {
    const { paper, thumbnail } = entries[at % entries.length] as HfEntry;
    const id = `2608.${String(10000 + at)}`;
    return {
      id,
      title: at < entries.length ? paper.title : `${paper.title} (${at})`,
      abstract: paper.summary,
      authors: paper.authors.map((author) => author.name),
      categories: ["cs.LG"],
      links: {
        abs: `https://arxiv.org/abs/${id}`,
        pdf: `https://arxiv.org/pdf/${id}`,
        hf: `https://huggingface.co/papers/${id}`,
        ...(paper.githubRepo ? { code: paper.githubRepo } : {}),
      },
      ...(paper.ai_summary && at % 2 === 0 ? { aiSummary: paper.ai_summary } : {}),
      ...(paper.upvotes ? { upvotes: paper.upvotes } : {}),
      ...(thumbnail ? { thumbnail } : {}),
      sources: ["huggingface"],
    };
  });
}

const topics: TopicConfig[] = [
  "agents",
  "vision",
  "reasoning",
  "rl",
  "nlp",
  "robotics",
  "efficiency",
  "safety",
].map((id) => ({
  id,
  name: id[0]?.toUpperCase() + id.slice(1),
  description: "",
  keywords: [id],
  exclude: [],
  examples: [],
}));

function digests(pool: Paper[]): Digest[] {
  const next = random(42);
  const paperTopics = pool.map(() => {
    const count = 1 + Math.floor(next() * 3);
    return [
      ...new Set(
        Array.from({ length: count }, () => topics[Math.floor(next() * topics.length)]?.id ?? "agents"),
      ),
    ];
  });
  return Array.from({ length: READERS }, (_, reader): Digest => {
    const follows = [
      ...new Set(
        Array.from(
          { length: 1 + Math.floor(next() * 3) },
          () => topics[Math.floor(next() * topics.length)]?.id ?? "agents",
        ),
      ),
    ];
    const picked = new Set<number>();
    while (picked.size < PER_DIGEST) picked.add(Math.floor(next() * pool.length));
    return {
      date: "2026-08-18",
      subscriber: { email: `reader${reader}@example.org`, name: `Reader ${reader}`, topics: follows },
      items: [...picked].map((index, rank) => {
        const matched = (paperTopics[index] ?? []).filter((id) => follows.includes(id));
        return {
          paper: pool[index] as Paper,
          score: 1 - rank / 100,
          topics: matched.length ? matched : [follows[0] ?? "agents"],
          why: `Matches ${matched[0] ?? follows[0]}: keyword in the abstract`,
        };
      }),
    };
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const ctx: RenderContext = {
  date: "2026-08-18",
  topics,
  from: "Paperboy <digest@paperboy.example>",
  subjectPrefix: "Paperboy",
  archiveUrl: "https://paperboy.example/archive/2026-08-18/index.html",
  notes: ["Source arXiv cs.LG was unavailable today."],
};

const pool = paperPool(POOL);
const all = digests(pool);

// Uncached baseline: a fresh renderer per message renders the shell and every card with React Email.
const baselineCount = 50;
let started = performance.now();
for (const digest of all.slice(0, baselineCount)) createDigestRenderer(ctx).render(digest);
const uncachedMs = (performance.now() - started) / baselineCount;

started = performance.now();
const renderer = createDigestRenderer(ctx);
const setupMs = performance.now() - started;

const times: number[] = [];
let bytes = 0;
let largest = 0;
started = performance.now();
for (const digest of all) {
  const t0 = performance.now();
  const { html } = renderer.render(digest, {
    unsubscribeUrl: `https://paperboy.example/u?r=${digest.subscriber.email}`,
  });
  times.push(performance.now() - t0);
  bytes += html.length;
  largest = Math.max(largest, Buffer.byteLength(html));
}
const coldTotal = performance.now() - started;

// Second pass: every card is cached, this is pure assembly.
started = performance.now();
for (const digest of all) renderer.render(digest);
const warmTotal = performance.now() - started;

const mimeCount = 500;
started = performance.now();
for (const digest of all.slice(0, mimeCount)) {
  await buildMessage(renderer.render(digest), {
    from: ctx.from,
    to: digest.subscriber.email,
    date: ctx.date,
  });
}
const mimeMs = (performance.now() - started) / mimeCount;

times.sort((a, b) => a - b);
const f = (ms: number): string => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);
console.log(
  `render bench: ${READERS} digests × ${PER_DIGEST} papers from a ${POOL}-paper pool (NODE_ENV=${process.env.NODE_ENV ?? "unset"})`,
);
console.log(`  renderer setup (shell render):        ${f(setupMs)}`);
console.log(
  `  per message, first pass (cards cold): mean ${f(coldTotal / READERS)}  p50 ${f(percentile(times, 50))}  p99 ${f(percentile(times, 99))}  max ${f(percentile(times, 100))}`,
);
console.log(`  per message, second pass (all cached): mean ${f(warmTotal / READERS)}`);
console.log(`  total render time, first pass:        ${(coldTotal / 1000).toFixed(2)} s`);
console.log(
  `  uncached (fresh React render per msg): ${f(uncachedMs)} per message → ${(uncachedMs / (coldTotal / READERS)).toFixed(0)}× slower`,
);
console.log(`  MIME (buildMessage) per message:      ${f(mimeMs)}  (${mimeCount} messages)`);
console.log(
  `  HTML size: mean ${(bytes / READERS / 1024).toFixed(1)} KB, largest ${(largest / 1024).toFixed(1)} KB`,
);
