/** What every feed parser takes, and the tally it keeps of the entries it had to skip. */
import type { z } from "zod";
import type { Paper, ParseResult } from "../domain/paper.js";

/** Options every parser accepts. */
export interface ParseOptions {
  /** File path or URL the body came from; used in error messages. */
  origin: string;
  /** Name put in each Paper's `sources`; by default one derived from the feed ("arxiv:cs.LG"). */
  sourceName?: string;
  /** Keep arXiv "replace"/"replace-cross" announcements (new versions of older papers). Default false. */
  includeReplacements?: boolean;
}

const MAX_WARNINGS = 5;

/** Collects papers and skips while a parser walks a feed; `result` builds the ParseResult. */
export class ParseTally {
  readonly papers: Paper[] = [];
  private skippedCount = 0;
  private readonly reasons: string[] = [];
  private unlisted = 0;
  private replacements = 0;

  /** Drops one entry; `where` names it ("item 3", "2604.21935") so the warning can be followed up. */
  skip(where: string, reason: string): void {
    this.skippedCount++;
    if (this.reasons.length < MAX_WARNINGS) this.reasons.push(`${where}: ${reason}`);
    else this.unlisted++;
  }

  /** Drops one arXiv replacement announcement (counted, summarized in one warning). */
  skipReplacement(): void {
    this.skippedCount++;
    this.replacements++;
  }

  add(paper: Paper): void {
    this.papers.push(paper);
  }

  result(format: string): ParseResult {
    const warnings = [...this.reasons];
    if (this.unlisted > 0) warnings.push(`… and ${this.unlisted} more skipped`);
    if (this.replacements > 0) {
      warnings.push(
        `${this.replacements} replacement announcement${this.replacements === 1 ? "" : "s"} skipped (includeReplacements is off)`,
      );
    }
    return { format, papers: this.papers, skipped: this.skippedCount, warnings };
  }
}

/** One short line for a zod failure of one entry: the first issue's path and message. */
export function describeEntryIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid entry";
  const path = issue.path.map(String).join(".");
  const message = issue.message.replace(/^Invalid input: /, "");
  return path ? `${path}: ${message}` : message;
}
