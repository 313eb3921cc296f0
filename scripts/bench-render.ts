/**
 * Render benchmark: 10,000 digests of 10 papers drawn from a 2,000-paper pool, through one day's
 * createDigestRenderer (paper cards assembled once, messages assembled from them). Prints the per-message
 * render time, the cost without the card cache and of a full React Email render per message for
 * comparison, and MIME building for a sample.
 *
 *   NODE_ENV=production npx tsx scripts/bench-render.ts [--readers 10000] [--pool 2000] [--papers 10]
 *
 * NODE_ENV=production makes React use its production build, as the Lambda bundles do.
 */
import { parseArgs } from "node:util";
import { createElement, Fragment } from "react";
import {
  BENCH_DATE,
  benchConfig,
  benchTopics,
  loadPaperSource,
  pickPapers,
  seededRandom,
} from "../bench/workload.js";
import type { TopicConfig } from "../shared/config/schema.js";
import type { Paper } from "../shared/domain/paper.js";
import type { Digest } from "../shared/domain/tagging.js";
import {
  Authors,
  CardFrame,
  CardTitle,
  Chip,
  Greeting,
  LinkLine,
  Page,
  PaperLink,
  Tldr,
  TopicChips,
  WhyLine,
} from "../shared/render/components.js";
import {
  archiveUrlFor,
  buildMessage,
  createDigestRenderer,
  type RenderContext,
} from "../shared/render/index.js";
import { renderMarkup } from "../shared/render/markup.js";
import { toPaperView } from "../shared/render/paper-view.js";

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

/** Real papers from ../shared/data (the whole-pipeline bench's source), with HF summaries and thumbnails where HF listed them. */
function paperPool(size: number): Paper[] {
  const source = loadPaperSource();
  return pickPapers(source, size).map((paper) => {
    const hf = source.hf.get(paper.id);
    return hf ? { ...paper, ...hf, id: paper.id, links: { ...paper.links, ...hf.links } } : paper;
  });
}

const topics: TopicConfig[] = benchTopics(12);

/** Each reader follows 1–5 topics (benchConfig); their digest is `PER_DIGEST` random papers of the pool. */
function digests(pool: Paper[]): Digest[] {
  const next = seededRandom(7);
  const paperTopics = pool.map(() => {
    const count = 1 + Math.floor(next() * 3);
    return [
      ...new Set(Array.from({ length: count }, () => topics[Math.floor(next() * topics.length)]?.id ?? "")),
    ];
  });
  return benchConfig(topics, READERS).subscribers.map((reader): Digest => {
    const picked = new Set<number>();
    while (picked.size < Math.min(PER_DIGEST, pool.length)) picked.add(Math.floor(next() * pool.length));
    return {
      date: BENCH_DATE,
      subscriber: {
        email: reader.email,
        ...(reader.name ? { name: reader.name } : {}),
        topics: reader.topics,
      },
      items: [...picked].map((index, rank) => {
        const matched = (paperTopics[index] ?? []).filter((id) => reader.topics.includes(id));
        const best = matched[0] ?? reader.topics[0] ?? "";
        return {
          paper: pool[index] as Paper,
          score: 1 - rank / 100,
          topics: matched.length ? matched : [best],
          why: `Matches ${best}: a keyword in the abstract`,
        };
      }),
    };
  });
}

/** The naive way: the whole message as one React Email tree, rendered for every reader. */
function renderWithReact(digest: Digest): string {
  const h = createElement;
  const cards = digest.items.map((item) => {
    const view = toPaperView(item.paper, item.topics);
    return h(CardFrame, {
      key: item.paper.id,
      ...(view.thumbnail
        ? { thumbnail: { src: view.thumbnail, alt: `Thumbnail: ${view.thumbnailAlt}` } }
        : {}),
      head: h(Fragment, null, [
        h(TopicChips, {
          key: "c",
          children: view.chips.map((chip) => h(Chip, { key: chip, children: chip })),
        }),
        h(CardTitle, {
          key: "t",
          level: "h2",
          ...(view.href ? { href: view.href } : {}),
          children: view.title,
        }),
        h(Authors, { key: "a", children: view.authors }),
      ]),
      body: h(Fragment, null, [
        h(WhyLine, { key: "w", children: item.why }),
        h(Tldr, { key: "l", children: view.tldr }),
        h(LinkLine, {
          key: "k",
          children: view.links.map((link) =>
            h(PaperLink, { key: link.label, href: link.href, children: link.label }),
          ),
        }),
      ]),
    });
  });
  return renderMarkup(
    h(Page, {
      title: digest.subscriber.email,
      preheader: "preheader",
      dateLine: BENCH_DATE,
      footer: h(Greeting, { children: digest.subscriber.topics.join(", ") }),
      children: cards,
    }),
    "email",
  );
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const ctx: RenderContext = {
  date: BENCH_DATE,
  topics,
  from: "Paperboy <digest@paperboy.example>",
  subjectPrefix: "Paperboy",
  archiveUrl: archiveUrlFor("https://paperboy.example/", BENCH_DATE),
  notes: ["Source arXiv cs.LG was unavailable today."],
};

const pool = paperPool(POOL);
const all = digests(pool);

// Baselines: a fresh renderer per message (no card cache), and a full React Email render of the whole
// message per reader (what the issue measured at 11–48 ms).
const baselineCount = 50;
let started = performance.now();
for (const digest of all.slice(0, baselineCount)) createDigestRenderer(ctx).render(digest);
const uncachedMs = (performance.now() - started) / baselineCount;
started = performance.now();
for (const digest of all.slice(0, baselineCount)) renderWithReact(digest);
const reactMs = (performance.now() - started) / baselineCount;

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
const warmTimes: number[] = [];
started = performance.now();
for (const digest of all) {
  const t0 = performance.now();
  renderer.render(digest);
  warmTimes.push(performance.now() - t0);
}
const warmTotal = performance.now() - started;
warmTimes.sort((a, b) => a - b);

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
console.log(`  renderer setup (day shell filled):    ${f(setupMs)}`);
console.log(
  `  per message, first pass (cards cold): mean ${f(coldTotal / READERS)}  p50 ${f(percentile(times, 50))}  p99 ${f(percentile(times, 99))}  max ${f(percentile(times, 100))}`,
);
console.log(
  `  per message, second pass (all cached): mean ${f(warmTotal / READERS)}  p50 ${f(percentile(warmTimes, 50))}  p99 ${f(percentile(warmTimes, 99))}`,
);
console.log(`  total render time, first pass:        ${(coldTotal / 1000).toFixed(2)} s`);
console.log(`  no card cache (fresh renderer per msg): ${f(uncachedMs)} per message`);
console.log(
  `  full React Email render per message:   ${f(reactMs)} per message → ${(reactMs / percentile(warmTimes, 50)).toFixed(0)}× the cached p50`,
);
console.log(`  MIME (buildMessage) per message:      ${f(mimeMs)}  (${mimeCount} messages)`);
console.log(
  `  HTML size: mean ${(bytes / READERS / 1024).toFixed(1)} KB, largest ${(largest / 1024).toFixed(1)} KB`,
);
