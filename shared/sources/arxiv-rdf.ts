/** The old arXiv RSS 1.0/RDF feed (export.arxiv.org/rss, until 2023) → Papers. */
import * as z from "zod";
import { FeedError } from "../domain/errors.js";
import type { AnnounceType, Paper, ParseResult } from "../domain/paper.js";
import { isReplacement } from "./arxiv-rss.js";
import { describeEntryIssue, type ParseOptions, ParseTally } from "./parse-result.js";
import { arxivLinks, cleanFeedText, isoDateTime, parseArxivId, splitAuthors } from "./text.js";
import { decodeXmlText, optionalXmlText, readXml, xmlAttribute, xmlChild, xmlList, xmlText } from "./xml.js";

const rdfItem = z.object({
  title: xmlText,
  link: z.array(optionalXmlText).optional().catch(undefined),
  description: optionalXmlText,
  "dc:creator": z.array(optionalXmlText).optional().catch(undefined),
});
type RdfItem = z.infer<typeof rdfItem>;

// "Title. (arXiv:2107.01234v1 [hep-ex] UPDATED)"; the last parenthesis is arXiv's, titles may hold others.
const TITLE = /^([\s\S]*?)\.?\s*\(arXiv:(\S+?)\s+\[([^\]]+)\](?:\s+(CROSS LISTED|UPDATED))?\)\s*$/;
// dc:creator holds HTML links, one per author: <a href="…/au:+Aaij_R/…">R. Aaij</a>
const AUTHOR_LINK = /<a\b[^>]*>([\s\S]*?)<\/a>/gi;

/** Parses an RSS 1.0/RDF arXiv feed. UPDATED entries are replacements: skipped unless includeReplacements. */
export function parseArxivRdf(body: string, options: ParseOptions): ParseResult {
  const doc = readXml(body, options.origin);
  const rdf = xmlChild(doc, "rdf:RDF");
  const channel = xmlChild(rdf, "channel");
  if (channel === undefined) {
    throw new FeedError(`${options.origin}: not a recognized feed (RDF without a <channel>)`);
  }
  const title = optionalXmlText.parse(xmlChild(channel, "title")) ?? "";
  const category = /^([\w.-]+) updates on arXiv/i.exec(title)?.[1];
  const source = options.sourceName ?? (category ? `arxiv:${category}` : "arxiv");
  // Items carry no date of their own; the channel's dc:date is the announcement.
  const announcedAt = isoDateTime(optionalXmlText.parse(xmlChild(channel, "dc:date")));

  const tally = new ParseTally();
  xmlList(xmlChild(rdf, "item")).forEach((raw, index) => {
    const parsed = rdfItem.safeParse(raw);
    if (!parsed.success) {
      tally.skip(`item ${index + 1}`, describeEntryIssue(parsed.error));
      return;
    }
    const paper = toPaper(parsed.data, xmlAttribute(raw, "rdf:about"), source, announcedAt);
    if (typeof paper === "string") tally.skip(`item ${index + 1}`, paper);
    else if (isReplacement(paper.announceType) && !options.includeReplacements) tally.skipReplacement();
    else tally.add(paper);
  });
  return tally.result("arxiv-rdf");
}

function toPaper(
  item: RdfItem,
  about: string | undefined,
  source: string,
  announcedAt: string | undefined,
): Paper | string {
  const rawTitle = decodeXmlText(item.title);
  const m = TITLE.exec(rawTitle);
  const link = item.link?.find((l) => l !== undefined);
  const arxiv = parseArxivId(m?.[2]) ?? parseArxivId(about) ?? parseArxivId(link && decodeXmlText(link));
  if (!arxiv) return "no arXiv id in title, rdf:about or link";
  const title = cleanFeedText(m ? m[1] : rawTitle);
  if (!title) return `${arxiv.id}: no title`;
  const announceType: AnnounceType =
    m?.[4] === "UPDATED" ? "replace" : m?.[4] === "CROSS LISTED" ? "cross" : "new";
  const category = m?.[3]?.trim();

  return {
    id: arxiv.id,
    ...(arxiv.version !== undefined && { version: arxiv.version }),
    title,
    abstract: cleanFeedText(item.description === undefined ? "" : decodeXmlText(item.description)),
    authors: (item["dc:creator"] ?? []).flatMap((c) =>
      c === undefined ? [] : readAuthors(decodeXmlText(c)),
    ),
    categories: category ? [category] : [],
    links: arxivLinks(arxiv.id),
    ...(announcedAt && { publishedAt: announcedAt }),
    announceType,
    sources: [source],
  };
}

/** Author names from the link markup; plain comma-separated text when there are no links. */
function readAuthors(creator: string): string[] {
  const linked = [...creator.matchAll(AUTHOR_LINK)].map((m) => cleanFeedText(m[1])).filter((n) => n !== "");
  return linked.length > 0 ? linked : splitAuthors(creator);
}
