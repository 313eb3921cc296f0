/** Fetches and parses the configured sources for a date; one failing source never stops the others. */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { SourceConfig } from "../config/schema.js";
import { UserInputError } from "../domain/errors.js";
import type { ParseResult } from "../domain/paper.js";
import type { FeedFetcher } from "../ports/index.js";
import { parseFeed } from "./detect.js";

/** What one feed URL (or file) gave: papers, or a one-line reason it gave none. */
export interface SourceResult {
  source: string;
  url: string;
  ok: boolean;
  result?: ParseResult;
  error?: string;
}

/** One feed to fetch for a configured source (an arxiv source with three categories makes three). */
export interface FeedRequest {
  source: string;
  url: string;
  includeReplacements: boolean;
}

/** Feeds fetched at the same time; small, to be gentle with arXiv and HF. */
const DEFAULT_CONCURRENCY = 4;

/** The feed URLs of one configured source for a date (YYYY-MM-DD). */
export function feedRequests(source: SourceConfig, date: string): FeedRequest[] {
  switch (source.type) {
    case "huggingface": {
      const url = new URL(source.url);
      url.searchParams.set("date", date);
      return [{ source: source.name ?? "huggingface", url: url.href, includeReplacements: false }];
    }
    case "arxiv": {
      const base = source.url.endsWith("/") ? source.url : `${source.url}/`;
      return source.categories.map((category) => ({
        source: source.name ? nameFor(source.name, category, source.categories.length) : `arxiv:${category}`,
        url: `${base}${category}`,
        includeReplacements: source.includeReplacements,
      }));
    }
    case "arxiv-api": {
      const url = new URL(source.url);
      url.searchParams.set("search_query", source.query);
      url.searchParams.set("sortBy", "submittedDate");
      url.searchParams.set("sortOrder", "descending");
      url.searchParams.set("start", "0");
      url.searchParams.set("max_results", String(source.maxResults));
      return [{ source: source.name ?? "arxiv-api", url: url.href, includeReplacements: false }];
    }
    case "rss":
      return [
        {
          source: source.name ?? `rss:${new URL(source.url).hostname}`,
          url: source.url,
          includeReplacements: false,
        },
      ];
  }
}

/** A named arxiv source with several categories names each feed "<name>:<category>". */
function nameFor(name: string, category: string, count: number): string {
  return count > 1 ? `${name}:${category}` : name;
}

/**
 * Fetches every source's feeds for `date` (a few at a time) and parses them. Never rejects for a
 * source: a fetch or parse failure becomes `ok: false` with a one-line error. Results keep config order.
 */
export async function fetchSources(
  sources: readonly SourceConfig[],
  fetcher: FeedFetcher,
  date: string,
  options: { concurrency?: number } = {},
): Promise<SourceResult[]> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    throw new UserInputError(`invalid date ${JSON.stringify(date)}; expected YYYY-MM-DD`);
  }
  const requests = sources.flatMap((source) => feedRequests(source, date));
  return mapConcurrently(requests, options.concurrency ?? DEFAULT_CONCURRENCY, (request) =>
    fetchOne(request, fetcher),
  );
}

async function fetchOne(request: FeedRequest, fetcher: FeedFetcher): Promise<SourceResult> {
  const { source, url, includeReplacements } = request;
  try {
    const fetched = await fetcher.fetch(url);
    const result = await parseFeed(fetched.body, url, { includeReplacements, sourceName: source });
    return { source, url, ok: true, result };
  } catch (error) {
    return { source, url, ok: false, error: oneLine(error) };
  }
}

/**
 * The CLI's `--feed FILE_OR_URL`: an http(s) URL is fetched, anything else read as a local file (a
 * file: URL too). A file that cannot be read is a UserInputError naming it; a feed that cannot be
 * fetched or parsed comes back as `ok: false`, like a configured source.
 */
export async function loadFeedArg(
  arg: string,
  fetcher: FeedFetcher,
  options: { readText?: (path: string) => Promise<string> } = {},
): Promise<SourceResult> {
  if (/^https?:\/\//i.test(arg)) {
    try {
      const fetched = await fetcher.fetch(arg);
      const result = await parseFeed(fetched.body, arg);
      return { source: sourceNameOf(result, arg), url: arg, ok: true, result };
    } catch (error) {
      return { source: arg, url: arg, ok: false, error: oneLine(error) };
    }
  }
  const path = arg.startsWith("file:") ? fileURLToPath(arg) : arg;
  const read = options.readText ?? readUtf8File;
  let body: string;
  try {
    body = await read(path);
  } catch (error) {
    throw new UserInputError(`${arg}: cannot read the feed file (${describeFsError(error)})`, {
      cause: error,
    });
  }
  try {
    const result = await parseFeed(body, arg);
    return { source: sourceNameOf(result, arg), url: arg, ok: true, result };
  } catch (error) {
    return { source: arg, url: arg, ok: false, error: oneLine(error) };
  }
}

/**
 * A file's text, decoded in one piece. Node 20's readFile(path, "utf8") decodes 512 KB chunks with a
 * StringDecoder into a rope that is copied flat again on first use: ~10 ms a MB more (the bench's 5.7 MB
 * of feeds: 50-90 ms of a cold parse stage).
 */
async function readUtf8File(path: string): Promise<string> {
  return (await readFile(path)).toString("utf8");
}

/** The source name the parser derived ("huggingface", "arxiv:cs.LG"), or the argument for an empty feed. */
function sourceNameOf(result: ParseResult, arg: string): string {
  return result.papers[0]?.sources[0] ?? arg;
}

function describeFsError(error: unknown): string {
  const code = error instanceof Error && "code" in error ? String(error.code) : "";
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EISDIR":
      return "it is a directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split(/\r?\n/)[0]?.trim() || "unknown error";
}

/** Maps with at most `limit` calls in flight; results in input order. */
async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  // One iterator shared by the workers: each takes the next item when it is free.
  const queue = items.entries();
  const worker = async () => {
    for (const [index, item] of queue) results[index] = await fn(item);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
