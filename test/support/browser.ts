/**
 * Test support for the render tests: the recorded HF day as Paper objects, sample topics and digests, and
 * headless Chromium (Debian's /usr/bin/chromium) through playwright-core.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import type { TopicConfig } from "../../shared/config/schema.js";
import type { Paper } from "../../shared/domain/paper.js";
import type { Digest, DigestItem, TaggedPaper } from "../../shared/domain/tagging.js";
import type { RenderContext } from "../../shared/render/index.js";

const HF_DAY = fileURLToPath(
  new URL("../fixtures/feeds/hf_daily_papers_api_2026-08-18.json", import.meta.url),
);

interface HfEntry {
  paper: {
    id: string;
    title: string;
    summary: string;
    authors: Array<{ name: string }>;
    upvotes?: number;
    ai_summary?: string;
    ai_keywords?: string[];
    githubRepo?: string;
    projectPage?: string;
    publishedAt?: string;
  };
  thumbnail?: string;
}

/**
 * The papers of the recorded HF Daily Papers day (2026-08-18), mapped field by field with JSON.parse, so the
 * render tests do not depend on the source parsers.
 */
export function hfDayPapers(): Paper[] {
  const entries = JSON.parse(readFileSync(HF_DAY, "utf8")) as HfEntry[];
  return entries.map(({ paper, thumbnail }) => {
    const result: Paper = {
      id: paper.id,
      title: paper.title,
      abstract: paper.summary,
      authors: paper.authors.map((author) => author.name),
      categories: [],
      links: {
        abs: `https://arxiv.org/abs/${paper.id}`,
        pdf: `https://arxiv.org/pdf/${paper.id}`,
        hf: `https://huggingface.co/papers/${paper.id}`,
        ...(paper.githubRepo ? { code: paper.githubRepo } : {}),
        ...(paper.projectPage ? { project: paper.projectPage } : {}),
      },
      sources: ["huggingface"],
    };
    if (paper.upvotes !== undefined) result.upvotes = paper.upvotes;
    if (paper.ai_summary) result.aiSummary = paper.ai_summary;
    if (paper.ai_keywords) result.aiKeywords = paper.ai_keywords;
    if (thumbnail) result.thumbnail = thumbnail;
    if (paper.publishedAt) result.publishedAt = paper.publishedAt;
    return result;
  });
}

export const sampleTopics: TopicConfig[] = [
  { id: "agents", name: "Agents", description: "", keywords: ["agent"], exclude: [], examples: [] },
  { id: "vision", name: "Vision & 3D", description: "", keywords: ["image"], exclude: [], examples: [] },
  { id: "reasoning", name: "Reasoning", description: "", keywords: ["reason"], exclude: [], examples: [] },
];

/** The render context of the recorded day, with an archive link and a missing-source note. */
export const sampleContext: RenderContext = {
  date: "2026-08-18",
  topics: sampleTopics,
  from: "Paperboy <digest@paperboy.example>",
  subjectPrefix: "Paperboy",
  archiveUrl: "https://paperboy.example/archive/2026-08-18/index.html",
  notes: ["Source arXiv cs.LG was unavailable today."],
};

/** Topics of a paper by plain keyword tests over title + abstract (a stand-in for the real tagger). */
export function topicsOf(paper: Paper): string[] {
  const text = `${paper.title} ${paper.abstract}`.toLowerCase();
  const found = [
    text.includes("agent") ? "agents" : "",
    /image|video|visual|3d/.test(text) ? "vision" : "",
    text.includes("reason") ? "reasoning" : "",
  ].filter(Boolean);
  return found.length ? found : ["reasoning"];
}

/** A digest of the first `count` papers for a reader of `topics`, with why-lines and decreasing scores. */
export function sampleDigest(
  papers: Paper[],
  topics = ["agents", "vision", "reasoning"],
  count = 10,
): Digest {
  const items: DigestItem[] = papers.slice(0, count).map((paper, at) => {
    const matched = topicsOf(paper).filter((id) => topics.includes(id));
    return {
      paper,
      score: 1 - at / 100,
      topics: matched.length ? matched : [topics[0] ?? "agents"],
      why: `Matches ${matched[0] ?? topics[0]}: “${paper.aiKeywords?.[0] ?? "keyword"}” in the abstract`,
    };
  });
  return { date: "2026-08-18", subscriber: { email: "ana@example.org", name: "Ana", topics }, items };
}

/** The day's papers as the tagger would store them. */
export function sampleTagged(papers: Paper[]): TaggedPaper[] {
  return papers.map((paper) => ({
    paper,
    matches: topicsOf(paper).map((topicId, at) => ({
      topicId,
      score: 0.9 - at * 0.1,
      evidence: { title: [], keywords: [], terms: [] },
    })),
  }));
}

/** Debian's chromium; CHROMIUM_PATH points elsewhere (another OS, or a check of the missing-browser path). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Whether the browser tests can run; in CI a missing browser is a failure, not a skip. */
export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

/** Headless Chromium, or a clear error naming the missing executable. */
export async function launchChromium(): Promise<Browser> {
  if (!chromiumAvailable()) {
    throw new Error(
      `Browser tests: ${CHROMIUM} not found. Install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH.`,
    );
  }
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}
