/** Hugging Face Daily Papers API (huggingface.co/api/daily_papers) JSON → Papers; 2024–2026 schemas. */
import * as z from "zod";
import { FeedError } from "../domain/errors.js";
import type { Paper, ParseResult } from "../domain/paper.js";
import { readJson } from "./json.js";
import { describeEntryIssue, type ParseOptions, ParseTally } from "./parse-result.js";
import {
  arxivLinks,
  cleanFeedText,
  huggingFacePaperUrl,
  isoDateTime,
  parseArxivId,
  safeHttpsUrl,
  safeHttpUrl,
} from "./text.js";

/** An optional field that is dropped, not fatal, when HF sends something unexpected (or null). */
const optionalString = z.string().optional().catch(undefined);
const optionalStrings = z.array(z.unknown()).optional().catch(undefined);

// Every generation nests the arXiv record under `paper`; 2025+ adds ai_*, githubRepo, projectPage,
// thumbnail and mediaUrls; 2024 has a top-level mediaUrl (the social thumbnail) instead.
const dailyPaperEntry = z.object({
  paper: z.object({
    id: z.string(),
    title: optionalString,
    summary: optionalString,
    authors: z
      .array(z.object({ name: z.string().optional().catch(undefined) }).catch({ name: undefined }))
      .optional()
      .catch(undefined),
    upvotes: z.number().int().nonnegative().optional().catch(undefined),
    publishedAt: optionalString,
    ai_summary: optionalString,
    ai_keywords: optionalStrings,
    githubRepo: optionalString,
    projectPage: optionalString,
    mediaUrls: optionalStrings,
  }),
  title: optionalString,
  summary: optionalString,
  publishedAt: optionalString,
  thumbnail: optionalString,
  mediaUrl: optionalString,
  mediaUrls: optionalStrings,
});
type DailyPaperEntry = z.infer<typeof dailyPaperEntry>;

const IMAGE_PATH = /\.(?:png|jpe?g|gif|webp|avif)$/i;

/** Parses a Daily Papers API response (a JSON array). Throws FeedError only when it is not one. */
export function parseHuggingFaceDailyPapers(body: string, options: ParseOptions): ParseResult {
  const value = readJson(body, options.origin);
  if (!Array.isArray(value)) {
    throw new FeedError(
      `${options.origin}: not a recognized feed (expected the Hugging Face daily papers JSON array)`,
    );
  }
  const source = options.sourceName ?? "huggingface";
  const tally = new ParseTally();
  value.forEach((raw, index) => {
    const parsed = dailyPaperEntry.safeParse(raw);
    if (!parsed.success) {
      tally.skip(`entry ${index}`, describeEntryIssue(parsed.error));
      return;
    }
    const paper = toPaper(parsed.data, source);
    if (typeof paper === "string") tally.skip(`entry ${index}`, paper);
    else tally.add(paper);
  });
  return tally.result("hf-daily-papers");
}

/** One entry → a Paper, or the reason it cannot be one. */
function toPaper(entry: DailyPaperEntry, source: string): Paper | string {
  const { paper } = entry;
  const arxiv = parseArxivId(paper.id);
  if (!arxiv) return `paper.id ${JSON.stringify(paper.id.slice(0, 40))} is not an arXiv id`;
  const title = cleanFeedText(paper.title ?? entry.title);
  if (!title) return `${arxiv.id}: no title`;

  const code = safeHttpUrl(paper.githubRepo);
  const project = safeHttpUrl(paper.projectPage);
  const thumbnail = pickThumbnail(entry);
  const aiSummary = cleanFeedText(paper.ai_summary);
  const aiKeywords = (paper.ai_keywords ?? [])
    .filter((k): k is string => typeof k === "string")
    .map(cleanFeedText)
    .filter((k) => k !== "");
  const publishedAt = isoDateTime(paper.publishedAt ?? entry.publishedAt);

  return {
    id: arxiv.id,
    ...(arxiv.version !== undefined && { version: arxiv.version }),
    title,
    abstract: cleanFeedText(paper.summary ?? entry.summary),
    authors: (paper.authors ?? []).map((a) => cleanFeedText(a.name)).filter((name) => name !== ""),
    categories: [],
    links: {
      ...arxivLinks(arxiv.id),
      hf: huggingFacePaperUrl(arxiv.id),
      ...(code && { code }),
      ...(project && { project }),
    },
    ...(paper.upvotes !== undefined && { upvotes: paper.upvotes }),
    ...(aiSummary && { aiSummary }),
    ...(aiKeywords.length > 0 && { aiKeywords }),
    ...(thumbnail && { thumbnail }),
    ...(publishedAt && { publishedAt }),
    sources: [source],
  };
}

/** The social thumbnail (2025+: `thumbnail`, 2024: `mediaUrl`), else the first image among mediaUrls. */
function pickThumbnail(entry: DailyPaperEntry): string | undefined {
  const direct = safeHttpsUrl(entry.thumbnail) ?? safeHttpsUrl(entry.mediaUrl);
  if (direct) return direct;
  const media = [...(entry.mediaUrls ?? []), ...(entry.paper.mediaUrls ?? [])];
  for (const candidate of media) {
    if (typeof candidate !== "string") continue;
    const url = safeHttpsUrl(candidate);
    if (url && IMAGE_PATH.test(new URL(url).pathname)) return url;
  }
  return undefined;
}
