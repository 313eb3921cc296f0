/**
 * The benchmark's input, built from the team's real papers (../shared/data): the day written out as real
 * feeds (one arXiv RSS 2.0 feed per primary category, cross-lists repeated as arXiv does, plus the HF Daily
 * Papers JSON for the papers HF also listed), 50+ reader topics and N synthetic subscribers.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type DatedPaper, readArxivPapers, readHfPapers, resolveDataDir } from "../shared/classify/corpus.js";
import { loadEvalTopics, loadFineTopics } from "../shared/classify/eval-data.js";
import { configSchema, type PaperboyConfig, type TopicConfig } from "../shared/config/schema.js";
import type { Paper } from "../shared/domain/paper.js";

/** The run date written into the feeds and digests. */
export const BENCH_DATE = "2026-07-01";

export interface WorkloadSize {
  papers: number;
  subscribers: number;
  topics: number;
}

/** What the pipeline run reads: the feed files, their JSON twins (for the floor) and the config. */
export interface WorkloadFiles {
  dir: string;
  feeds: string[];
  /** The same items as plain JSON, one file per feed: what the floor reads and JSON-parses. */
  floorInputs: string[];
  configFile: string;
  inputBytes: number;
}

/** The real papers and HF enrichment, loaded once and shared by every size. */
export interface PaperSource {
  arxiv: DatedPaper[];
  hf: Map<string, Paper>;
}

export function loadPaperSource(dataDir = resolveDataDir()): PaperSource {
  const arxiv = readArxivPapers(dataDir).sort((a, b) => a.day.localeCompare(b.day));
  const hf = new Map(readHfPapers(dataDir).map((d) => [d.paper.id, d.paper]));
  return { arxiv, hf };
}

/** Deterministic PRNG (mulberry32) so every run builds the same subscribers. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The first `count` real papers in listing order; past the data set's end, days repeat under shifted ids. */
export function pickPapers(source: PaperSource, count: number): Paper[] {
  const out: Paper[] = [];
  for (let round = 0; out.length < count; round++) {
    for (const { paper } of source.arxiv) {
      if (out.length >= count) break;
      out.push(round === 0 ? paper : { ...paper, id: shiftId(paper.id, round) });
    }
    if (source.arxiv.length === 0) break;
  }
  return out;
}

/** "2605.16265" → "2705.16265" for round 1: still a valid new-style arXiv id, never a real collision here. */
function shiftId(id: string, round: number): string {
  const m = /^(\d{2})(\d{2}\.\d{4,5})$/.exec(id);
  return m ? `${String((Number(m[1]) + round) % 100).padStart(2, "0")}${m[2]}` : `${id}r${round}`;
}

/** `count` topics: the eval profiles (written as readers write them), then variants mixing their keywords. */
export function benchTopics(count: number): TopicConfig[] {
  const base = [...loadEvalTopics(), ...loadFineTopics()].map((t) => t.topic);
  return Array.from({ length: count }, (_, i) => {
    const t = base[i % base.length] as TopicConfig;
    if (i < base.length) return t;
    const other = base[(i * 7 + 3) % base.length] as TopicConfig;
    return {
      ...t,
      id: `${t.id}-${i}`,
      name: `${t.name} (${other.name.split(" ")[0]?.toLowerCase() ?? "variant"})`,
      keywords: [...t.keywords.slice(0, Math.max(1, t.keywords.length - 1)), ...other.keywords.slice(0, 2)],
    };
  });
}

/** The config a team would write: the topics, `count` readers each following 1–5 random topics. */
export function benchConfig(topics: TopicConfig[], count: number, seed = 42): PaperboyConfig {
  const next = seededRandom(seed);
  const subscribers = Array.from({ length: count }, (_, i) => {
    const follows = new Set<string>();
    const n = 1 + Math.floor(next() * 5);
    while (follows.size < n) follows.add(topics[Math.floor(next() * topics.length)]?.id ?? "nlp");
    return {
      email: `reader${i}@bench.paperboy.example`,
      ...(i % 3 === 0 ? { name: `Reader ${i}` } : {}),
      topics: [...follows],
      maxPapers: i % 10 === 0 ? 20 : 10,
    };
  });
  return configSchema.parse({
    sources: [{ type: "arxiv", categories: ["cs.AI", "cs.CL", "cs.CV", "cs.LG"] }, { type: "huggingface" }],
    topics,
    subscribers,
    delivery: {
      from: "Paperboy <digest@paperboy.example>",
      archiveBaseUrl: "https://archive.paperboy.example/",
      unsubscribeBaseUrl: "https://unsubscribe.paperboy.example/u",
      maxSendRate: 14,
    },
  });
}

/** Writes the feeds, their JSON twins and the config for one size into `dir`. */
export function writeWorkload(source: PaperSource, size: WorkloadSize, dir: string): WorkloadFiles {
  mkdirSync(join(dir, "feeds"), { recursive: true });
  mkdirSync(join(dir, "floor"), { recursive: true });
  const papers = pickPapers(source, size.papers);
  const byCategory = new Map<string, Paper[]>();
  const primaries = new Set(papers.map((p) => p.categories[0] ?? "cs.AI"));
  for (const paper of papers) {
    // Each paper appears in its primary category's feed and, as arXiv does, cross-listed in the others.
    for (const category of paper.categories.filter((c, i) => i === 0 || primaries.has(c))) {
      const list = byCategory.get(category) ?? [];
      list.push(paper);
      byCategory.set(category, list);
    }
  }
  const feeds: string[] = [];
  const floorInputs: string[] = [];
  let inputBytes = 0;
  const write = (name: string, body: string, twin: unknown) => {
    const path = join(dir, "feeds", name);
    writeFileSync(path, body);
    feeds.push(path);
    const twinPath = join(dir, "floor", `${name}.json`);
    writeFileSync(twinPath, JSON.stringify(twin));
    floorInputs.push(twinPath);
    inputBytes += Buffer.byteLength(body);
  };
  for (const [category, list] of [...byCategory].sort((a, b) => a[0].localeCompare(b[0]))) {
    write(`arxiv-${category}.xml`, arxivRss(category, list), list.map(plainItem));
  }
  const onHf = papers.flatMap((p) => {
    const hf = source.hf.get(p.id);
    return hf ? [{ ...hf, id: p.id }] : [];
  });
  const hfEntries = onHf.map(hfEntry);
  write("hf-daily-papers.json", JSON.stringify(hfEntries), hfEntries);
  const configFile = join(dir, "config.json");
  writeFileSync(
    configFile,
    JSON.stringify(benchConfig(benchTopics(size.topics), size.subscribers, 42 + size.subscribers)),
  );
  return { dir, feeds, floorInputs, configFile, inputBytes };
}

const RFC822_DAY = "Wed, 01 Jul 2026 00:00:00 -0400";

/** An rss.arxiv.org-shaped RSS 2.0 feed for one category. */
function arxivRss(category: string, papers: Paper[]): string {
  const items = papers.map((p) => {
    const type = p.categories[0] === category ? "new" : "cross";
    return `    <item>
      <title>${xml(p.title)}</title>
      <link>https://arxiv.org/abs/${p.id}</link>
      <description>arXiv:${p.id}v1 Announce Type: ${type} 
Abstract: ${xml(p.abstract)}</description>
      <guid isPermaLink="false">oai:arXiv.org:${p.id}v1</guid>
${p.categories.map((c) => `      <category>${xml(c)}</category>`).join("\n")}
      <pubDate>${RFC822_DAY}</pubDate>
      <arxiv:announce_type>${type}</arxiv:announce_type>
      <dc:rights>http://arxiv.org/licenses/nonexclusive-distrib/1.0/</dc:rights>
      <dc:creator>${xml(p.authors.join(", "))}</dc:creator>
    </item>`;
  });
  return `<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0">
  <channel>
    <title>${category} updates on arXiv.org</title>
    <link>http://rss.arxiv.org/rss/${category}</link>
    <description>${category} updates on the arXiv.org e-print archive.</description>
    <atom:link href="http://rss.arxiv.org/rss/${category}" rel="self" type="application/rss+xml" />
    <language>en-us</language>
    <lastBuildDate>${RFC822_DAY}</lastBuildDate>
    <pubDate>${RFC822_DAY}</pubDate>
${items.join("\n")}
  </channel>
</rss>
`;
}

/** One HF Daily Papers API entry (the 2025+ schema's fields the parser reads). */
function hfEntry(p: Paper) {
  return {
    paper: {
      id: p.id,
      authors: p.authors.map((name) => ({ name, hidden: false })),
      publishedAt: "2026-06-30T00:00:00.000Z",
      title: p.title,
      summary: p.abstract,
      upvotes: p.upvotes ?? 0,
      ...(p.aiSummary ? { ai_summary: p.aiSummary } : {}),
      ...(p.aiKeywords ? { ai_keywords: p.aiKeywords } : {}),
    },
    publishedAt: "2026-06-30T20:00:00.000Z",
    title: p.title,
    summary: p.abstract,
    thumbnail: `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${p.id}.png`,
    numComments: 0,
  };
}

/** The item fields as plain JSON: the floor's equivalent of a feed entry. */
function plainItem(p: Paper) {
  return { id: p.id, title: p.title, abstract: p.abstract, authors: p.authors, categories: p.categories };
}

function xml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
