/** Recognizes a feed by its content (a file on the command line has no type) and parses it. */
import { FeedError } from "../domain/errors.js";
import type { ParseResult } from "../domain/paper.js";
import { parseArxivAtom } from "./arxiv-atom.js";
import { parseArxivRdf } from "./arxiv-rdf.js";
import { parseArxivRss } from "./arxiv-rss.js";
import { parseHuggingFaceDailyPapers } from "./huggingface.js";
import { readJson } from "./json.js";
import type { ParseOptions } from "./parse-result.js";
import { parseJsonFeed, parseRss } from "./rss.js";
import { cleanFeedText, stripBom } from "./text.js";
import { readXmlHead } from "./xml.js";

export interface ParseFeedOptions {
  includeReplacements?: boolean;
  /** Name put in each Paper's `sources`; default derived from the feed ("huggingface", "arxiv:cs.LG"). */
  sourceName?: string;
}

// How much of the document head is searched for the marks of an arXiv feed.
const HEAD_CHARS = 4096;

/**
 * Parses any supported feed: HF Daily Papers JSON, arXiv RSS 2.0 / RSS 1.0 (RDF) / API Atom, other
 * RSS/Atom, JSON Feed. Throws FeedError `<origin>: not a recognized feed (…)` for anything else.
 */
export async function parseFeed(
  body: string,
  origin: string,
  options: ParseFeedOptions = {},
): Promise<ParseResult> {
  const text = stripBom(body);
  const parseOptions: ParseOptions = { origin, ...options };
  const start = text.trimStart();
  if (start === "") throw notAFeed(origin, "the body is empty");
  if (start.includes("\u0000")) throw notAFeed(origin, "binary data");
  const first = start[0];
  if (first === "{" || first === "[") return parseJson(start, parseOptions);
  if (first === "<") return parseXml(start, parseOptions);
  throw notAFeed(origin, `starts with ${JSON.stringify(cleanFeedText(start.slice(0, 40)))}`);
}

function parseJson(text: string, options: ParseOptions): ParseResult {
  const value = readJson(text, options.origin);
  if (Array.isArray(value)) {
    // The HF API answers a day without papers with [] — a valid, empty day.
    if (value.length === 0 || value.some((e) => isRecord(e) && isRecord(e.paper))) {
      return parseHuggingFaceDailyPapers(text, options);
    }
    throw notAFeed(options.origin, "a JSON array, but not Hugging Face daily papers");
  }
  if (isRecord(value)) {
    if (typeof value.version === "string" && value.version.includes("jsonfeed.org/version/1")) {
      return parseJsonFeed(text, options);
    }
    if ("error" in value) {
      const said = typeof value.error === "string" ? value.error : JSON.stringify(value.error);
      throw notAFeed(
        options.origin,
        `the server answered with an error: ${cleanFeedText(said).slice(0, 200)}`,
      );
    }
    throw notAFeed(options.origin, "a JSON object that is neither a JSON Feed nor HF daily papers");
  }
  throw notAFeed(options.origin, "a bare JSON value");
}

async function parseXml(text: string, options: ParseOptions): Promise<ParseResult> {
  const { root } = readXmlHead(text);
  const head = text.slice(0, HEAD_CHARS);
  switch (root) {
    case "rss":
      return isArxivRss(head) ? parseArxivRss(text, options) : parseRss(text, options);
    case "rdf:RDF":
      return /<channel[^>]+rdf:about="https?:\/\/(?:export\.)?arxiv\.org\/?"/.test(head)
        ? parseArxivRdf(text, options)
        : parseRss(text, options);
    case "feed":
      return isArxivApi(head) ? parseArxivAtom(text, options) : parseRss(text, options);
    case undefined:
      throw notAFeed(options.origin, "XML without a root element (truncated?)");
    default:
      if (/^html$/i.test(root)) throw notAFeed(options.origin, "an HTML page");
      throw notAFeed(options.origin, `XML with root <${root.slice(0, 40)}>`);
  }
}

/** rss.arxiv.org feeds declare the arXiv namespace and link to rss.arxiv.org. */
function isArxivRss(head: string): boolean {
  return (
    /<link>\s*https?:\/\/(?:rss|export)\.arxiv\.org\/rss\//.test(head) || /<arxiv:announce_type>/.test(head)
  );
}

/** API responses: "arXiv Query:" titles and ids/links under arxiv.org/api. */
function isArxivApi(head: string): boolean {
  return (
    /<id>\s*https?:\/\/(?:export\.)?arxiv\.org\/(?:api\/|$|\s*<)/.test(head) ||
    /arxiv\.org\/api\/query/.test(head)
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function notAFeed(origin: string, why: string): FeedError {
  return new FeedError(`${origin}: not a recognized feed (${why})`);
}
