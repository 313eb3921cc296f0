/**
 * The digest renderer. All markup comes from React Email (fragments.tsx → templates.generated.ts); per day
 * the shell is filled once and each paper card is assembled once (cached by paper id and heading level,
 * with the reader-dependent topics and why-line left as slots); every reader's message is then a few
 * string joins of cached pieces and escaped values.
 */
import type { TopicConfig } from "../config/schema.js";
import type { Paper } from "../domain/paper.js";
import type { Digest, DigestItem } from "../domain/tagging.js";
import { cardTemplate, chipsHtml, whyHtml } from "./card.js";
import { cleanText, escapeHtml, safeHttpUrl } from "./escape.js";
import {
  countPapers,
  formatLongDate,
  parseDay,
  SUBJECT_TITLE_MAX,
  shortenAtWord,
  subjectHead,
  subjectLine,
} from "./format.js";
import { Memo } from "./memo.js";
import { type PaperView, paperText, toPaperView, topicsText } from "./paper-view.js";
import { groupByTopic, topicName, topicNames } from "./sections.js";
import {
  type Chunk,
  type ChunkTemplate,
  chunkOf,
  fillChunks,
  fillTemplate,
  joinChunks,
  joinedChunk,
  partialFill,
  toChunks,
} from "./template.js";
import { TEMPLATES } from "./templates.generated.js";

export interface RenderContext {
  /** Run date, YYYY-MM-DD. */
  date: string;
  topics: TopicConfig[];
  from: string;
  replyTo?: string;
  subjectPrefix: string;
  /** URL of this day's archive page ("view in browser"); see archiveUrlFor. */
  archiveUrl?: string;
  /** Notes for every reader, e.g. "Source arXiv cs.LG was unavailable today". */
  notes?: string[];
}

export interface RenderedDigest {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

export interface DigestRenderer {
  render(digest: Digest, extras?: { unsubscribeUrl?: string; note?: string }): RenderedDigest;
}

interface CachedCard {
  /** Slots left: chips, why. */
  html: ChunkTemplate;
  textHead: Chunk;
  textTail: Chunk;
}

/** A why-line as shown: cleaned, as the HTML paragraph and as the text line ("" parts without one). */
interface CachedWhy {
  html: Chunk;
  text: Chunk;
}

const NOTHING_TODAY = "Nothing new matched your topics today.";

/** A renderer for one day: shell filled now, paper cards on first use, each message by assembly. */
export function createDigestRenderer(ctx: RenderContext): DigestRenderer {
  parseDay(ctx.date);
  const topics = topicNames(ctx.topics);
  const dateLine = formatLongDate(ctx.date);
  const subjectStart = subjectHead(ctx.subjectPrefix, ctx.date);
  const archiveUrl = safeHttpUrl(ctx.archiveUrl);
  const archiveHref = archiveUrl ? escapeHtml(archiveUrl) : "";
  const shell = toChunks(
    partialFill(TEMPLATES.digestShell, {
      dateLine: escapeHtml(dateLine),
      viewInBrowser: archiveUrl ? fillTemplate(TEMPLATES.viewInBrowser, { href: archiveHref }) : "",
      allPapers: archiveUrl ? fillTemplate(TEMPLATES.allPapers, { href: archiveHref }) : "",
    }),
  );
  const noteHtml = (note: string) => fillTemplate(TEMPLATES.note, { text: escapeHtml(note) });
  const commonNotes = (ctx.notes ?? []).map(cleanText).filter(Boolean);
  const commonNotesHtml = chunkOf(commonNotes.map(noteHtml).join(""));
  const textHead = chunkOf(`PAPERBOY · ${dateLine} · `);
  const viewInBrowserText = chunkOf(archiveUrl ? `View in browser: ${archiveUrl}\n` : "");

  // Everything below repeats across a day's readers and is made once: a paper's view (shared by its h2
  // and h3 cards), its card, pill lines, why-lines, section headings, shortened titles.
  const views = new Memo<string, PaperView>();
  const cards = new Memo<string, CachedCard>();
  const card = (paper: Paper, level: "h2" | "h3"): CachedCard =>
    cards.get(`${level}:${paper.id}`, () => {
      const view = views.get(paper.id, () => toPaperView(paper, []));
      const text = paperText(view);
      return {
        html: toChunks(cardTemplate(view, level)),
        textHead: chunkOf(text.head),
        textTail: chunkOf(text.tail),
      };
    });
  const chipLines = new Memo<string, { html: Chunk; text: Chunk }>();
  const chips = (names: string[], label: string | undefined) =>
    chipLines.get(`${label ?? ""}\u0001${names.join("\u0002")}`, () => ({
      html: chunkOf(chipsHtml(names, label)),
      text: chunkOf(topicsText(names, label)),
    }));
  const whys = new Memo<string, CachedWhy>();
  const whyOf = (raw: string): CachedWhy =>
    whys.get(raw, () => {
      const why = cleanText(raw);
      return { html: chunkOf(whyHtml(why)), text: chunkOf(why ? `Why: ${why}\n` : "") };
    });
  const headings = new Memo<string, { html: Chunk; text: Chunk }>();
  const heading = (title: string, count: number) =>
    headings.get(`${count}\u0001${title}`, () => ({
      html: chunkOf(
        fillTemplate(TEMPLATES.section, { title: escapeHtml(title), count: ` ${countPapers(count)}` }),
      ),
      text: chunkOf(`${title.toUpperCase()}\n${"=".repeat(Math.min(title.length, 60))}\n\n`),
    }));
  const shortTitles = new Memo<string, string>();
  const shortTitle = (paper: Paper, max: number): string =>
    shortTitles.get(`${max}:${paper.id}`, () => shortenAtWord(paper.title, max));

  // A paper as one reader sees it (card, pills, why-line) repeats across readers with the same topics:
  // one joined chunk per distinct combination (3,308 for the bench's 110,000 items). Bounded.
  const shownItems = new Memo<string, { html: Chunk; text: Chunk }>(16384);
  const shownItem = (item: DigestItem, names: string[], level: "h2" | "h3", label: string | undefined) =>
    shownItems.get(
      `${level}\u0001${item.paper.id}\u0001${item.why ?? ""}\u0001${names.join("\u0002")}`,
      () => {
        const cached = card(item.paper, level);
        const why = whyOf(item.why ?? "");
        const line = chips(names, label);
        const htmlParts: Chunk[] = [];
        fillChunks(cached.html, { chips: line.html, why: why.html }, htmlParts);
        return {
          html: joinedChunk(htmlParts),
          text: joinedChunk([cached.textHead, line.text, why.text, cached.textTail, NEWLINE]),
        };
      },
    );
  const greetingTemplate = toChunks(TEMPLATES.greeting);
  const unsubscribeTemplate = toChunks(TEMPLATES.unsubscribe);
  // A reader's subject, preheader, count, greeting and topic list mostly repeat across readers (same
  // count, same top paper, no name): one chunk per distinct text, so each is encoded once. Bounded.
  const repeatedChunks = new Memo<string, Chunk>(8192);
  const repeated = (value: string): Chunk => repeatedChunks.get(value, () => chunkOf(value));

  return {
    render(digest, extras = {}) {
      const items = digest.items;
      const sections = groupByTopic(items, digest.subscriber.topics, topics);
      const labelled = sections.some((section) => section.title);
      const label = labelled ? "Also in" : undefined;
      const html: Chunk[] = [];
      const text: Chunk[] = [];
      for (const section of sections) {
        if (section.title) {
          const { html: headingHtml, text: headingText } = heading(section.title, section.items.length);
          html.push(headingHtml);
          text.push(headingText);
        }
        for (const { item, chips: names } of section.items) {
          const shown = shownItem(item, names, labelled ? "h3" : "h2", label);
          html.push(shown.html);
          text.push(shown.text);
        }
      }

      const notes = [...commonNotes];
      const note = cleanText(extras.note ?? "");
      if (note) notes.push(note);
      else if (items.length === 0) notes.push(NOTHING_TODAY);
      const top = topPaper(items);
      const subject = subjectLine(
        subjectStart,
        items.length,
        top ? shortTitle(top.paper, SUBJECT_TITLE_MAX) : "",
      );
      const name = cleanText(digest.subscriber.name ?? "");
      const greeting = items.length
        ? `${name ? `Hi ${name}, here` : "Here"} ${items.length === 1 ? "is" : "are"} today's ${countPapers(items.length)} for you.`
        : "";
      const followed = digest.subscriber.topics.map((id) => topicName(topics, id)).join(", ");
      const preheader = top
        ? `${countPapers(items.length)}: ${shortTitle(top.paper, 70)}${items.length > 1 ? ` and ${items.length - 1} more` : ""}`
        : NOTHING_TODAY;
      const unsubscribeUrl = safeHttpUrl(extras.unsubscribeUrl);
      const countLine = items.length ? countPapers(items.length) : "no new papers";

      const unsubscribeHref = unsubscribeUrl ? chunkOf(escapeHtml(unsubscribeUrl)) : undefined;
      const greetingHtml: Chunk[] = [];
      if (greeting) fillChunks(greetingTemplate, { text: repeated(escapeHtml(greeting)) }, greetingHtml);
      const unsubscribeHtml: Chunk[] = [];
      if (unsubscribeHref) fillChunks(unsubscribeTemplate, { href: unsubscribeHref }, unsubscribeHtml);
      const ownNotes = notes.slice(commonNotes.length);
      const page: Chunk[] = [];
      fillChunks(
        shell,
        {
          title: repeated(escapeHtml(subject)),
          preheader: repeated(escapeHtml(preheader)),
          count: repeated(escapeHtml(countLine)),
          greeting: greetingHtml,
          notes: [commonNotesHtml, ownNotes.length ? chunkOf(ownNotes.map(noteHtml).join("")) : EMPTY],
          content: html,
          topics: repeated(escapeHtml(followed)),
          unsubscribe: unsubscribeHtml,
        },
        page,
      );

      const textChunks = [
        textHead,
        repeated(`${countLine}\n`),
        viewInBrowserText,
        repeated(
          `\n${greeting ? `${greeting}\n\n` : ""}${notes.map((n) => `Note: ${n}\n`).join("")}${notes.length ? "\n" : ""}`,
        ),
        ...text,
        repeated(`--\n${followed ? `You get this digest for: ${followed}.\n` : ""}`),
        unsubscribeUrl ? chunkOf(`Unsubscribe: ${unsubscribeUrl}\n`) : EMPTY,
      ];
      return renderedFrom(subject, page, textChunks);
    },
  };
}

const EMPTY = chunkOf("");
const NEWLINE = chunkOf("\n");

// The renderer assembles each message as UTF-8 chunks. buildMessage encodes them chunk by chunk (most
// are cached pieces shared by many readers, encoded once: mime.ts); they are joined only for whoever
// needs the whole part (the outbox's browser preview), once, and decoded to strings only if something
// reads `html`/`text`.
type Part = "html" | "text";
interface Parts {
  chunks: Record<Part, readonly Chunk[]>;
  joined: Partial<Record<Part, Buffer>>;
}
const chunked = new WeakMap<RenderedDigest, Parts>();

/** The digest's HTML as UTF-8, joined once for all who ask. */
export function htmlBytes(rendered: RenderedDigest): Buffer {
  return bytesOf(rendered, "html");
}

/**
 * A part as the chunks it was assembled from, in order (each one whole UTF-8). Cached pieces are the
 * same objects in every message of a renderer, so what is derived from them is derived once.
 */
export function partChunks(rendered: RenderedDigest, part: Part): readonly Chunk[] {
  return chunked.get(rendered)?.chunks[part] ?? [chunkOf(rendered[part])];
}

function bytesOf(rendered: RenderedDigest, part: Part): Buffer {
  const parts = chunked.get(rendered);
  if (!parts) return Buffer.from(rendered[part], "utf8");
  const joined = parts.joined[part] ?? joinChunks(parts.chunks[part]);
  parts.joined[part] = joined;
  return joined;
}

/** A RenderedDigest made of chunks; `html` and `text` are decoded on first read. */
function renderedFrom(subject: string, html: Chunk[], text: Chunk[]): RenderedDigest {
  let htmlString: string | undefined;
  let textString: string | undefined;
  const rendered: RenderedDigest = {
    subject,
    get html() {
      htmlString ??= bytesOf(rendered, "html").toString("utf8");
      return htmlString;
    },
    get text() {
      textString ??= bytesOf(rendered, "text").toString("utf8");
      return textString;
    },
  };
  chunked.set(rendered, { chunks: { html, text }, joined: {} });
  return rendered;
}

/** The highest-scoring item (the first of equals), whose title goes into the subject. */
function topPaper(items: readonly DigestItem[]): DigestItem | undefined {
  let best: DigestItem | undefined;
  for (const item of items) if (!best || item.score > best.score) best = item;
  return best;
}
