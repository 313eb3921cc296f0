/**
 * The digests file (results/<date>/digests.json and the fan-out's batch shards) as stored: each paper
 * once, in a `papers` table, and every digest item referring to its paper by id.
 *
 * Written with a paper inline in every item, the file grows with readers × papers × abstract: 226 MB
 * for 2,000 papers and 10,000 readers (the bench's day), which the dispatch Lambda then had to parse
 * whole (about a gigabyte of heap). With the table it is ~11 MB for the same day, and a reader of the
 * file gets one Paper object per id, shared by every digest that shows it, as the classify stage had it.
 * Files in the old form (format 1, no `format` field) are still read.
 */
import type { Paper } from "../domain/paper.js";
import type { Digest, DigestItem } from "../domain/tagging.js";
import type { DigestsFile } from "./stages.js";

/** The format this version writes. */
export const DIGESTS_FORMAT = 2;

/** A digest item as stored: its paper by id. */
interface StoredItem extends Omit<DigestItem, "paper"> {
  paper: string;
}

interface StoredDigest extends Omit<Digest, "items"> {
  items: StoredItem[];
}

interface StoredFile extends Omit<DigestsFile, "digests"> {
  format: typeof DIGESTS_FORMAT;
  papers: Paper[];
  digests: StoredDigest[];
}

/** The file is not a digests file this version can read, or refers to a paper it does not list. */
export class DigestsFileError extends Error {
  override name = "DigestsFileError";
}

/**
 * The file's JSON: every paper that some digest shows, once (the first Paper seen for an id; a day's
 * digests share one per id), and the digests with their items' papers as ids.
 */
export function encodeDigestsFile(file: DigestsFile): string {
  const papers = new Map<string, Paper>();
  const digests: StoredDigest[] = file.digests.map((digest) => ({
    ...digest,
    items: digest.items.map(({ paper, score, topics, why }) => {
      if (!papers.has(paper.id)) papers.set(paper.id, paper);
      return { paper: paper.id, score, topics, why };
    }),
  }));
  const { digests: _inline, ...meta } = file;
  const stored: StoredFile = { format: DIGESTS_FORMAT, ...meta, papers: [...papers.values()], digests };
  return JSON.stringify(stored);
}

/**
 * The file as the stages use it: each item's paper resolved, one object per paper id. `where` names the
 * file in errors (its store key).
 */
export function decodeDigestsFile(body: string, where: string): DigestsFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new DigestsFileError(`${where}: not JSON (${(error as Error).message})`);
  }
  if (!isRecord(parsed) || !Array.isArray(parsed.digests)) {
    throw new DigestsFileError(`${where}: not a digests file (no "digests" list)`);
  }
  const format = parsed.format ?? 1;
  if (format === 1) return parsed as unknown as DigestsFile;
  if (format !== DIGESTS_FORMAT) {
    throw new DigestsFileError(
      `${where}: digests file format ${JSON.stringify(format)}; this version reads 1 and ${DIGESTS_FORMAT}`,
    );
  }
  if (!Array.isArray(parsed.papers)) throw new DigestsFileError(`${where}: format 2 without a "papers" list`);
  const byId = new Map<string, Paper>();
  for (const paper of parsed.papers as Paper[]) byId.set(paper.id, paper);
  const { papers: _papers, format: _format, ...rest } = parsed as unknown as StoredFile;
  const digests = (rest.digests as StoredDigest[]).map((digest, d) => {
    if (!isRecord(digest) || !Array.isArray(digest.items)) {
      throw new DigestsFileError(`${where}: digests[${d}] has no "items" list`);
    }
    return {
      ...digest,
      items: digest.items.map((item, i): DigestItem => {
        const paper = isRecord(item) && typeof item.paper === "string" ? byId.get(item.paper) : undefined;
        if (!paper) {
          throw new DigestsFileError(
            `${where}: digests[${d}].items[${i}] refers to paper ${JSON.stringify(isRecord(item) ? item.paper : item)}, which the file's "papers" does not list`,
          );
        }
        return { paper, score: item.score, topics: item.topics, why: item.why };
      }),
    };
  });
  return { ...rest, digests };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
