/** rss.arxiv.org RSS 2.0 (2024–) → Papers: announce types, dc:creator authors, categories. */
import * as z from "zod";
import { FeedError } from "../domain/errors.js";
import type { AnnounceType, Paper, ParseResult } from "../domain/paper.js";
import { describeEntryIssue, type ParseOptions, ParseTally } from "./parse-result.js";
import {
  type ArxivId,
  arxivLinks,
  cleanFeedText,
  isArxivCategory,
  isoDateTime,
  parseArxivId,
  splitAuthors,
} from "./text.js";
import { decodeXmlText, optionalXmlText, readXml, xmlChild, xmlList, xmlText } from "./xml.js";

const ANNOUNCE_TYPES: readonly AnnounceType[] = ["new", "cross", "replace", "replace-cross"];

const rssItem = z.object({
  title: xmlText,
  link: z.array(optionalXmlText).optional().catch(undefined),
  description: optionalXmlText,
  guid: optionalXmlText,
  category: z.array(optionalXmlText).optional().catch(undefined),
  pubDate: optionalXmlText,
  "arxiv:announce_type": optionalXmlText,
  "dc:creator": z.array(optionalXmlText).optional().catch(undefined),
});
type RssItem = z.infer<typeof rssItem>;

// "arXiv:2604.21935v1 Announce Type: new \nAbstract: …"
const DESCRIPTION = /^\s*arXiv:(\S+)\s+Announce Type:\s*([a-z-]+)\s*(?:Abstract:\s*)?([\s\S]*)$/;

/** Parses an rss.arxiv.org feed. Replacements are skipped (and counted) unless includeReplacements. */
export function parseArxivRss(body: string, options: ParseOptions): ParseResult {
  const doc = readXml(body, options.origin);
  const channel = xmlChild(xmlChild(doc, "rss"), "channel");
  if (channel === undefined) {
    throw new FeedError(`${options.origin}: not a recognized feed (RSS without a <channel>)`);
  }
  const source = options.sourceName ?? channelSourceName(channel);
  const tally = new ParseTally();
  xmlList(xmlChild(channel, "item")).forEach((raw, index) => {
    const parsed = rssItem.safeParse(raw);
    if (!parsed.success) {
      tally.skip(`item ${index + 1}`, describeEntryIssue(parsed.error));
      return;
    }
    const paper = toPaper(parsed.data, source);
    if (typeof paper === "string") {
      tally.skip(`item ${index + 1}`, paper);
    } else if (isReplacement(paper.announceType) && !options.includeReplacements) {
      tally.skipReplacement();
    } else {
      tally.add(paper);
    }
  });
  return tally.result("arxiv-rss");
}

/** "arxiv:cs.LG" from the channel's link (rss.arxiv.org/rss/cs.LG) or title ("cs.LG updates on arXiv.org"). */
function channelSourceName(channel: unknown): string {
  const links = xmlList(xmlChild(channel, "link")).map((l) => optionalXmlText.parse(l) ?? "");
  for (const link of links) {
    const m = /\/rss\/([\w.+-]+)\/?$/.exec(link);
    if (m?.[1]) return `arxiv:${m[1]}`;
  }
  const title = optionalXmlText.parse(xmlChild(channel, "title")) ?? "";
  const m = /^([\w.+-]+) updates on arXiv/i.exec(title);
  return m?.[1] ? `arxiv:${m[1]}` : "arxiv";
}

function toPaper(item: RssItem, source: string): Paper | string {
  const text = (value: string | undefined) => (value === undefined ? undefined : decodeXmlText(value));
  const description = text(item.description) ?? "";
  const described = DESCRIPTION.exec(description);
  const link = text(item.link?.find((l) => l !== undefined));
  const arxiv: ArxivId | undefined =
    parseArxivId(text(item.guid)) ?? parseArxivId(described?.[1]) ?? parseArxivId(link);
  if (!arxiv) return "no arXiv id in guid, description or link";
  const title = cleanFeedText(text(item.title));
  if (!title) return `${arxiv.id}: no title`;

  const announced = (item["arxiv:announce_type"] ?? described?.[2] ?? "").trim();
  const announceType = ANNOUNCE_TYPES.find((t) => t === announced);
  const abstract = cleanFeedText(described ? described[3] : description);
  const categories = (item.category ?? [])
    .map((c) => cleanFeedText(text(c)))
    .filter((c) => c !== "" && isArxivCategory(c));
  const authors = (item["dc:creator"] ?? []).flatMap((c) =>
    c === undefined ? [] : splitAuthors(text(c) ?? ""),
  );
  const publishedAt = isoDateTime(text(item.pubDate));

  return {
    id: arxiv.id,
    ...(arxiv.version !== undefined && { version: arxiv.version }),
    title,
    abstract,
    authors,
    categories: [...new Set(categories)],
    links: arxivLinks(arxiv.id),
    ...(publishedAt && { publishedAt }),
    ...(announceType && { announceType }),
    sources: [source],
  };
}

/** Whether an announcement is a new version of an older paper rather than a new paper. */
export function isReplacement(type: AnnounceType | undefined): boolean {
  return type === "replace" || type === "replace-cross";
}
