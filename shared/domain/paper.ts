/** The one Paper model every source is normalized into (pure data, no I/O). */

/** How arXiv announced a paper in its daily listing. */
export type AnnounceType = "new" | "cross" | "replace" | "replace-cross";

/** Links a reader may follow; every URL here has been checked to be http(s). */
export interface PaperLinks {
  abs?: string;
  pdf?: string;
  hf?: string;
  code?: string;
  project?: string;
}

export interface Paper {
  /** arXiv id without version ("2604.21935", "hep-ex/0307015"); for non-arXiv items a stable "url:<hash>" id. */
  id: string;
  /** arXiv version number when the source said it (v1 = 1). */
  version?: number;
  title: string;
  /** Plain text: entities decoded, markup stripped, whitespace collapsed. */
  abstract: string;
  authors: string[];
  /** arXiv categories, primary first, when known. */
  categories: string[];
  links: PaperLinks;
  /** Hugging Face Daily Papers upvotes, when listed there. */
  upvotes?: number;
  /** Hugging Face AI summary (one or two sentences), when present. */
  aiSummary?: string;
  aiKeywords?: string[];
  /** https URL of a thumbnail image (HF), when present. */
  thumbnail?: string;
  /** ISO-8601 date-time the paper was published/announced. */
  publishedAt?: string;
  announceType?: AnnounceType;
  /** Names of the sources that listed this paper (e.g. "huggingface", "arxiv:cs.LG"). */
  sources: string[];
}

/** What a parser returns: papers plus how many entries it had to skip (never throws on one bad entry). */
export interface ParseResult {
  /** Detected format, e.g. "hf-daily-papers", "arxiv-rss", "arxiv-rdf", "arxiv-atom", "rss", "atom", "json-feed". */
  format: string;
  papers: Paper[];
  /** Entries dropped: malformed, missing fields, or (by default) arXiv replacements. */
  skipped: number;
  /** Human-readable reasons, at most a few, for the run summary. */
  warnings: string[];
}
