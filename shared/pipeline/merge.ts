/** Merges the papers of all sources into one list: one Paper per arXiv id, enriched from every listing. */
import type { AnnounceType, Paper } from "../domain/paper.js";

// When sources disagree, the listing that makes the paper "newest" wins: new beats cross beats replace.
const ANNOUNCE_RANK: Readonly<Record<AnnounceType, number>> = {
  new: 0,
  cross: 1,
  "replace-cross": 2,
  replace: 3,
};

/**
 * One Paper per id across (and within) lists, in first-seen order. Hugging Face fields (upvotes, AI
 * summary and keywords, code/project/hf links, thumbnail) enrich arXiv listings; the longer abstract and
 * author list win, categories and sources are unioned (primary category first), the higher version wins.
 * Inputs are not modified.
 */
export function mergePapers(lists: readonly (readonly Paper[])[]): Paper[] {
  const byId = new Map<string, Paper>();
  for (const list of lists) {
    for (const paper of list) {
      const seen = byId.get(paper.id);
      byId.set(paper.id, seen ? mergeTwo(seen, paper) : copyPaper(paper));
    }
  }
  return [...byId.values()];
}

/** `first` was seen earlier: it wins ties, `later` fills gaps and brings anything better. */
function mergeTwo(first: Paper, later: Paper): Paper {
  const version = maxDefined(first.version, later.version);
  const upvotes = maxDefined(first.upvotes, later.upvotes);
  const aiSummary = first.aiSummary ?? later.aiSummary;
  const aiKeywords = first.aiKeywords?.length ? first.aiKeywords : later.aiKeywords;
  const thumbnail = first.thumbnail ?? later.thumbnail;
  const publishedAt = first.publishedAt ?? later.publishedAt;
  const announceType = newestAnnouncement(first.announceType, later.announceType);
  return {
    id: first.id,
    ...(version !== undefined && { version }),
    title: first.title || later.title,
    abstract: later.abstract.length > first.abstract.length ? later.abstract : first.abstract,
    authors: later.authors.length > first.authors.length ? [...later.authors] : first.authors,
    // The first listing that knows categories names the primary one.
    categories: union(first.categories, later.categories),
    links: { ...later.links, ...first.links },
    ...(upvotes !== undefined && { upvotes }),
    ...(aiSummary !== undefined && { aiSummary }),
    ...(aiKeywords !== undefined && { aiKeywords: [...aiKeywords] }),
    ...(thumbnail !== undefined && { thumbnail }),
    ...(publishedAt !== undefined && { publishedAt }),
    ...(announceType !== undefined && { announceType }),
    sources: union(first.sources, later.sources),
  };
}

function copyPaper(paper: Paper): Paper {
  return {
    ...paper,
    authors: [...paper.authors],
    categories: [...new Set(paper.categories)],
    links: { ...paper.links },
    ...(paper.aiKeywords && { aiKeywords: [...paper.aiKeywords] }),
    sources: [...new Set(paper.sources)],
  };
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}

function newestAnnouncement(
  a: AnnounceType | undefined,
  b: AnnounceType | undefined,
): AnnounceType | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return ANNOUNCE_RANK[b] < ANNOUNCE_RANK[a] ? b : a;
}
