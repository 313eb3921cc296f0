/** Generic feeds → Papers: RSS 0.9–2.0, RSS 1.0 and Atom (via rss-parser), and JSON Feed 1.x. */
import Parser from "rss-parser";
import * as z from "zod";
import { FeedError } from "../domain/errors.js";
import type { Paper, ParseResult } from "../domain/paper.js";
import { readJson } from "./json.js";
import { describeEntryIssue, type ParseOptions, ParseTally } from "./parse-result.js";
import {
  arxivLinks,
  cleanFeedText,
  huggingFacePaperUrl,
  isArxivCategory,
  isoDateTime,
  parseArxivId,
  safeHttpsUrl,
  safeHttpUrl,
  splitAuthors,
  urlPaperId,
} from "./text.js";
import { assertNoEntityDeclarations, readXmlHead } from "./xml.js";

/** One feed item, whatever format it came in, before it becomes a Paper. */
interface FeedItem {
  title?: string | undefined;
  link?: string | undefined;
  /** guid / id: used for the arXiv id when the link is not an arXiv or HF paper page. */
  guid?: string | undefined;
  /** HTML or text body. */
  content?: string | undefined;
  authors: string[];
  categories: string[];
  date?: string | undefined;
  image?: string | undefined;
}

const optionalString = z.string().optional().catch(undefined);
// xml2js gives a category as text, {_: text, $: {domain}} or (Atom) {$: {term}}.
const xmlCategory = z
  .union([
    z.string(),
    z.object({ _: z.string() }).transform((c) => c._),
    z.object({ $: z.object({ term: z.string() }) }).transform((c) => c.$.term),
  ])
  .optional()
  .catch(undefined);

const rssParserItem = z.object({
  title: optionalString,
  link: optionalString,
  guid: optionalString,
  id: optionalString,
  content: optionalString,
  "content:encoded": optionalString,
  summary: optionalString,
  creator: optionalString,
  isoDate: optionalString,
  pubDate: optionalString,
  categories: z.array(xmlCategory).optional().catch(undefined),
  enclosure: z.object({ url: optionalString, type: optionalString }).optional().catch(undefined),
});

const rssFeedParser = new Parser<Record<string, unknown>, Record<string, unknown>>({ defaultRSS: 2 });

/** Parses RSS/Atom XML with rss-parser; refuses DOCTYPE entity declarations before the parser sees them. */
export async function parseRss(body: string, options: ParseOptions): Promise<ParseResult> {
  // xml2js/sax rejects undeclared entities but reads the DOCTYPE; feeds never need one with entities.
  assertNoEntityDeclarations(body, options.origin);
  const root = readXmlHead(body).root;
  let feed: Awaited<ReturnType<typeof rssFeedParser.parseString>>;
  try {
    feed = await rssFeedParser.parseString(root === "feed" ? blankUnreadableAtomDates(body) : body);
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split("\n").join(" ");
    throw new FeedError(`${options.origin}: not a recognized feed (${message})`, { cause: error });
  }
  const source = options.sourceName ?? genericSourceName(feed.link, options.origin);
  const tally = new ParseTally();
  feed.items.forEach((raw, index) => {
    const parsed = rssParserItem.safeParse(raw);
    if (!parsed.success) {
      tally.skip(`item ${index + 1}`, describeEntryIssue(parsed.error));
      return;
    }
    const item = parsed.data;
    const image = item.enclosure?.type?.startsWith("image/") ? item.enclosure.url : undefined;
    addItem(tally, `item ${index + 1}`, source, {
      title: item.title,
      link: item.link,
      guid: item.guid ?? item.id,
      content: item["content:encoded"] ?? item.content ?? item.summary,
      authors: item.creator ? splitAuthors(item.creator) : [],
      categories: (item.categories ?? []).filter((c): c is string => c !== undefined),
      date: item.isoDate ?? item.pubDate,
      image,
    });
  });
  return tally.result(root === "feed" ? "atom" : "rss");
}

const jsonFeedAuthor = z.object({ name: optionalString }).catch({ name: undefined });
const jsonFeedItem = z.object({
  id: z
    .union([z.string(), z.number().transform(String)])
    .optional()
    .catch(undefined),
  url: optionalString,
  external_url: optionalString,
  title: optionalString,
  content_html: optionalString,
  content_text: optionalString,
  summary: optionalString,
  image: optionalString,
  date_published: optionalString,
  tags: z.array(z.unknown()).optional().catch(undefined),
  author: jsonFeedAuthor.optional(),
  authors: z.array(jsonFeedAuthor).optional().catch(undefined),
});
const jsonFeed = z.object({
  version: z
    .string()
    .regex(/^https?:\/\/jsonfeed\.org\/version\/1(\.\d+)?$/, "expected a JSON Feed 1.x version"),
  home_page_url: optionalString,
  items: z.array(z.unknown()),
});

/** Parses a JSON Feed 1.0/1.1 document. */
export function parseJsonFeed(body: string, options: ParseOptions): ParseResult {
  const value = readJson(body, options.origin);
  const feed = jsonFeed.safeParse(value);
  if (!feed.success) {
    throw new FeedError(
      `${options.origin}: not a recognized feed (JSON Feed: ${describeEntryIssue(feed.error)})`,
    );
  }
  const source = options.sourceName ?? genericSourceName(feed.data.home_page_url, options.origin);
  const tally = new ParseTally();
  feed.data.items.forEach((raw, index) => {
    const parsed = jsonFeedItem.safeParse(raw);
    if (!parsed.success) {
      tally.skip(`item ${index + 1}`, describeEntryIssue(parsed.error));
      return;
    }
    const item = parsed.data;
    const authors = [...(item.authors ?? []), ...(item.author ? [item.author] : [])];
    addItem(tally, `item ${index + 1}`, source, {
      title: item.title,
      link: item.url ?? item.external_url,
      guid: item.id,
      content: item.content_html ?? item.content_text ?? item.summary,
      authors: authors.map((a) => cleanFeedText(a.name)).filter((name) => name !== ""),
      categories: (item.tags ?? []).filter((t): t is string => typeof t === "string"),
      date: item.date_published,
      image: item.image,
    });
  });
  return tally.result("json-feed");
}

/**
 * rss-parser turns an Atom entry's <published>/<updated> into a Date and throws on a bad one, losing the
 * whole feed; an unreadable date is blanked instead (the entry just has no date).
 */
function blankUnreadableAtomDates(body: string): string {
  return body.replace(/<(published|updated)>([^<]*)<\/\1>/g, (element, tag: string, value: string) =>
    Number.isNaN(Date.parse(value.trim())) ? `<${tag}></${tag}>` : element,
  );
}

/** "rss:<host>" of the feed's home page, else of the URL it was fetched from; "rss" when neither is known. */
function genericSourceName(homePage: string | undefined, origin: string): string {
  const url = safeHttpUrl(homePage) ?? safeHttpUrl(origin);
  return url ? `rss:${new URL(url).hostname}` : "rss";
}

function addItem(tally: ParseTally, where: string, source: string, item: FeedItem): void {
  const paper = toPaper(item, source);
  if (typeof paper === "string") tally.skip(where, paper);
  else tally.add(paper);
}

/**
 * A feed item → a Paper. Items linking to arxiv.org or huggingface.co/papers get the arXiv id and
 * links; others a "url:<hash>" id with the item link as their abstract page.
 */
function toPaper(item: FeedItem, source: string): Paper | string {
  const title = cleanFeedText(item.title);
  if (!title) return "no title";
  const link = safeHttpUrl(item.link) ?? safeHttpUrl(item.guid);
  const arxiv = parseArxivId(link) ?? parseArxivId(item.guid);
  if (!arxiv && !link) return `"${title.slice(0, 60)}": no http(s) link`;

  const text = cleanFeedText(item.content);
  const onHuggingFace = link !== undefined && new URL(link).hostname.endsWith("huggingface.co");
  const { abstract, aiSummary } = onHuggingFace ? splitHuggingFaceText(text) : { abstract: text };
  const publishedAt = isoDateTime(item.date);
  const thumbnail = safeHttpsUrl(item.image);
  const categories = arxiv ? item.categories.map(cleanFeedText).filter(isArxivCategory) : [];

  const links: Paper["links"] = arxiv
    ? { ...arxivLinks(arxiv.id), ...(onHuggingFace && { hf: huggingFacePaperUrl(arxiv.id) }) }
    : { abs: link };
  return {
    id: arxiv ? arxiv.id : urlPaperId(link ?? ""),
    ...(arxiv?.version !== undefined && { version: arxiv.version }),
    title,
    abstract,
    authors: item.authors,
    categories: [...new Set(categories)],
    links,
    ...(aiSummary && { aiSummary }),
    ...(thumbnail && { thumbnail }),
    ...(publishedAt && { publishedAt }),
    sources: [source],
  };
}

/**
 * Third-party HF Papers feeds put the AI summary before the abstract:
 * "Abstract <AI summary>  Generated by <model> <abstract>". Splits it; plain text stays the abstract.
 */
export function splitHuggingFaceText(text: string): { abstract: string; aiSummary?: string } {
  const m = /^Abstract\s+(.+?)\s+Generated by \S+\s+(.+)$/s.exec(text);
  if (m?.[1] && m[2]) return { abstract: m[2].trim(), aiSummary: m[1].trim() };
  return { abstract: text.replace(/^Abstract\s+/, "") };
}
