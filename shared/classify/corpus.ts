/** Reads the team's real-paper data sets (../shared/data) as Papers, for the model build and the eval harness. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import type { Paper } from "../domain/paper.js";

/** The arXiv listing file with author-assigned categories. */
export const ARXIV_FILE = "arxiv_cs_daily_labeled.jsonl.gz";
/** The Hugging Face Daily Papers archive (ai_keywords, upvotes). */
export const HF_FILE = "hf_daily_papers_archive_upvotes.jsonl.gz";

/** A paper of a data set with the day it was listed on. */
export interface DatedPaper {
  day: string;
  paper: Paper;
}

/** The data folder: `dataDir` if given, else $PAPERBOY_DATA_DIR, else `../shared/data` beside the repo root. */
export function resolveDataDir(dataDir?: string): string {
  if (dataDir) return resolve(dataDir);
  const fromEnv = process.env.PAPERBOY_DATA_DIR;
  if (fromEnv) return resolve(fromEnv);
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
  return resolve(repoRoot, "../shared/data");
}

/** True when the data file exists. */
export function hasDataFile(dataDir: string, file: string): boolean {
  return existsSync(resolve(dataDir, file));
}

function readJsonl(path: string): Record<string, unknown>[] {
  const text = gunzipSync(readFileSync(path)).toString("utf8");
  const rows: Record<string, unknown>[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    rows.push(JSON.parse(line) as Record<string, unknown>);
  }
  return rows;
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");
const strList = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
const collapse = (s: string): string => s.replace(/\s+/g, " ").trim();

/** The fields both data sets share, as a Paper. */
function basePaper(r: Record<string, unknown>, categories: unknown, source: string): Paper {
  return {
    id: str(r.id),
    title: collapse(str(r.title)),
    abstract: collapse(str(r.abstract)),
    authors: strList(r.authors),
    categories: strList(categories),
    links: {},
    sources: [source],
  };
}

/** The arXiv data set: one Paper per row, `categories` primary first, dated by listing day. */
export function readArxivPapers(dataDir: string): DatedPaper[] {
  return readJsonl(resolve(dataDir, ARXIV_FILE)).map((r) => ({
    day: str(r.listing_date),
    paper: basePaper(r, r.categories, "arxiv"),
  }));
}

/** The HF Daily Papers archive: one Paper per row, with upvotes, AI keywords/summary, categories when joined. */
export function readHfPapers(dataDir: string): DatedPaper[] {
  return readJsonl(resolve(dataDir, HF_FILE)).map((r) => {
    const paper = basePaper(r, r.arxiv_categories, "huggingface");
    if (typeof r.upvotes === "number") paper.upvotes = r.upvotes;
    const keywords = strList(r.ai_keywords);
    if (keywords.length > 0) paper.aiKeywords = keywords;
    const summary = str(r.ai_summary);
    if (summary !== "") paper.aiSummary = summary;
    return { day: str(r.daily_date), paper };
  });
}
