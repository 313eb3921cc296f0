/** arXiv API (export.arxiv.org/api/query) Atom → Papers; the current (2025–) and legacy (–2024) formats. */
import * as z from "zod";
import { FeedError } from "../domain/errors.js";
import type { Paper, ParseResult } from "../domain/paper.js";
import { describeEntryIssue, type ParseOptions, ParseTally } from "./parse-result.js";
import { arxivLinks, cleanFeedText, isoDateTime, parseArxivId } from "./text.js";
import { decodeXmlText, optionalXmlText, readXml, xmlAttribute, xmlChild, xmlList, xmlText } from "./xml.js";

const atomEntry = z.object({
  id: xmlText,
  title: xmlText,
  summary: optionalXmlText,
  published: optionalXmlText,
  updated: optionalXmlText,
  author: z
    .array(z.object({ name: optionalXmlText }).catch({ name: undefined }))
    .optional()
    .catch(undefined),
  category: z.array(z.unknown()).optional().catch(undefined),
  "arxiv:primary_category": z.unknown().optional(),
});
type AtomEntry = z.infer<typeof atomEntry>;

/**
 * Parses an arXiv API response. A response with zero results is a valid empty result; the API's error
 * response (one entry titled "Error", id under /api/errors) is a FeedError carrying arXiv's message.
 */
export function parseArxivAtom(body: string, options: ParseOptions): ParseResult {
  const doc = readXml(body, options.origin);
  const feed = xmlChild(doc, "feed");
  if (feed === undefined) {
    throw new FeedError(`${options.origin}: not a recognized feed (Atom without a <feed>)`);
  }
  const entries = xmlList(xmlChild(feed, "entry"));
  assertNotApiError(entries, options.origin);

  const source = options.sourceName ?? "arxiv-api";
  const tally = new ParseTally();
  entries.forEach((raw, index) => {
    const parsed = atomEntry.safeParse(raw);
    if (!parsed.success) {
      tally.skip(`entry ${index + 1}`, describeEntryIssue(parsed.error));
      return;
    }
    const paper = toPaper(parsed.data, source);
    if (typeof paper === "string") tally.skip(`entry ${index + 1}`, paper);
    else tally.add(paper);
  });
  return tally.result("arxiv-atom");
}

/** The arXiv API reports bad queries as a feed with one "Error" entry; that is no paper. */
function assertNotApiError(entries: unknown[], origin: string): void {
  for (const entry of entries) {
    const id = optionalXmlText.parse(xmlChild(entry, "id")) ?? "";
    const title = optionalXmlText.parse(xmlChild(entry, "title")) ?? "";
    if (
      title.trim() === "Error" &&
      (id.includes("/api/errors") || parseArxivId(decodeXmlText(id)) === undefined)
    ) {
      const summary = cleanFeedText(decodeXmlText(optionalXmlText.parse(xmlChild(entry, "summary")) ?? ""));
      throw new FeedError(
        `${origin}: the arXiv API answered with an error: ${summary || "no details given"}`,
      );
    }
  }
}

function toPaper(entry: AtomEntry, source: string): Paper | string {
  const arxiv = parseArxivId(decodeXmlText(entry.id));
  if (!arxiv) return `id ${JSON.stringify(entry.id.slice(0, 60))} is not an arXiv abs link`;
  const title = cleanFeedText(decodeXmlText(entry.title));
  if (!title) return `${arxiv.id}: no title`;
  const primary = xmlAttribute(entry["arxiv:primary_category"], "term");
  const terms = (entry.category ?? []).map((c) => xmlAttribute(c, "term"));
  const categories = [primary, ...terms]
    .map((c) => (c === undefined ? "" : cleanFeedText(c)))
    .filter((c) => c !== "");
  const publishedAt = isoDateTime(entry.published ?? entry.updated);

  return {
    id: arxiv.id,
    ...(arxiv.version !== undefined && { version: arxiv.version }),
    title,
    abstract: cleanFeedText(entry.summary === undefined ? "" : decodeXmlText(entry.summary)),
    authors: (entry.author ?? [])
      .map((a) => cleanFeedText(a.name === undefined ? "" : decodeXmlText(a.name)))
      .filter((name) => name !== ""),
    categories: [...new Set(categories)],
    links: arxivLinks(arxiv.id),
    ...(publishedAt && { publishedAt }),
    sources: [source],
  };
}
