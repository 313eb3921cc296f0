/**
 * The digest renderer. All markup comes from React Email (fragments.tsx → templates.generated.ts); per day
 * the shell is filled once and each paper card is assembled once (cached by paper id and heading level,
 * with the reader-dependent topics and why-line left as slots); every reader's message is then a list
 * of cached UTF-8 chunks and a few of its own, which mime.ts encodes chunk by chunk.
 */
import type { TopicConfig } from "../config/schema.js";
import type { Paper } from "../domain/paper.js";
import type { Digest, DigestItem } from "../domain/tagging.js";
import { chipsHtml, paperCardTemplate } from "./card.js";
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
import { Memo, PathMemo } from "./memo.js";
import { paperText, paperView, topicsText } from "./paper-view.js";
import { topicName, topicNames } from "./sections.js";
import {
  type Chunk,
  type ChunkTemplate,
  chunkOf,
  fillChunks,
  fillTemplate,
  joinChunks,
  joinedChunk,
  partialFill,
  splitBefore,
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

const NOTHING_TODAY = "Nothing new matched your topics today.";

/** A piece as shown in both parts (a why-line, a pill line, a heading, a paper as a reader sees it). */
interface Shown {
  html: Chunk;
  text: Chunk;
}

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
  // The shell up to the greeting depends only on the subject, preheader and count, which readers share
  // (by paper count and top paper): that part is one joined chunk per head; the rest is filled per reader.
  const [shellTop, shellRest] = splitBefore(shell, "greeting", ["title", "preheader", "count"]);
  const noteHtml = (note: string) => fillTemplate(TEMPLATES.note, { text: escapeHtml(note) });
  const commonNotes = (ctx.notes ?? []).map(cleanText).filter(Boolean);
  const commonNotesHtml = chunkOf(commonNotes.map(noteHtml).join(""));
  const textHead = chunkOf(`PAPERBOY · ${dateLine} · `);
  const viewInBrowserText = chunkOf(archiveUrl ? `View in browser: ${archiveUrl}\n` : "");

  // Everything below repeats across a day's readers and is made once: a paper's card (from its view,
  // paperView, which its h2 and h3 cards and the archive page share), pill lines, why-lines, section
  // headings, shortened titles.
  const cards = new Memo<string, CachedCard>();
  // A card's static pieces, by content: the opening markup is the same in every card, and a paper's
  // h2 and h3 cards differ only in the title, so each distinct piece is one chunk, encoded once.
  const cardPieces = new Memo<string, Chunk>();
  const card = (paper: Paper, level: "h2" | "h3"): CachedCard =>
    cards.get(`${level}:${paper.id}`, () => {
      const text = paperText(paperView(paper));
      const template = paperCardTemplate(paper, level);
      return {
        html: {
          parts: template.parts.map((part) => cardPieces.get(part, chunkOf)),
          slots: template.slots,
        },
        textHead: chunkOf(text.head),
        textTail: chunkOf(text.tail),
      };
    });
  const chipLines = new Memo<string, Shown>();
  const chips = (names: string[], label: string | undefined) =>
    chipLines.get(`${label ?? ""}\u0001${names.join("\u0002")}`, () => ({
      html: chunkOf(chipsHtml(names, label)),
      text: chunkOf(topicsText(names, label)),
    }));
  // A why-line between the why template's cached markup (2,265 distinct why-lines in the bench).
  const whys = new Memo<string, Shown>();
  const whyTemplate = toChunks(TEMPLATES.why);
  const whyOf = (raw: string): Shown =>
    whys.get(raw, () => {
      const why = cleanText(raw);
      if (!why) return { html: EMPTY, text: EMPTY };
      const html: Chunk[] = [];
      fillChunks(whyTemplate, { text: chunkOf(escapeHtml(why)) }, html);
      return { html: joinedChunk(html), text: joinedChunk([WHY_TEXT, chunkOf(`${why}\n`)]) };
    });
  const shortTitles = new Memo<string, string>();
  const shortTitle = (paper: Paper, max: number): string =>
    shortTitles.get(`${max}:${paper.id}`, () => shortenAtWord(paper.title, max));

  // A paper as one reader sees it (card, pills, why-line) repeats across readers with the same topics:
  // one joined chunk per distinct combination (3,308 for the bench's 110,000 items), found by walking
  // paper id → why-line → the topic ids shown as pills, one memo per heading level. Bounded.
  const shownByLevel = { h2: new PathMemo<Shown>(8192), h3: new PathMemo<Shown>(8192) };
  const shownItem = (item: DigestItem, from: number, level: "h2" | "h3", label: string | undefined) => {
    const shownItems = shownByLevel[level];
    let node = shownItems.step(shownItems.start(), item.paper.id);
    node = shownItems.step(node, item.why ?? "");
    const ids = item.topics;
    for (let i = from; i < ids.length; i++) node = shownItems.step(node, ids[i]);
    return (
      node.value ??
      shownItems.value(node, () => {
        const cached = card(item.paper, level);
        const why = whyOf(item.why ?? "");
        const line = chips(
          ids.slice(from).map((id) => topicName(topics, id)),
          label,
        );
        const htmlParts: Chunk[] = [];
        fillChunks(cached.html, { chips: line.html, why: why.html }, htmlParts);
        return {
          html: joinedChunk(htmlParts),
          text: joinedChunk([cached.textHead, line.text, why.text, cached.textTail, NEWLINE]),
        };
      })
    );
  };
  const headings = new PathMemo<Shown>();
  const heading = (title: string, count: number) => {
    const node = headings.step(headings.step(headings.start(), title), count);
    return (
      node.value ??
      headings.value(node, () => ({
        html: chunkOf(
          fillTemplate(TEMPLATES.section, { title: escapeHtml(title), count: ` ${countPapers(count)}` }),
        ),
        text: chunkOf(`${title.toUpperCase()}\n${"=".repeat(Math.min(title.length, 60))}\n\n`),
      }))
    );
  };

  // A reader's papers in sections: in the reader's topic order, each paper once, under its best topic
  // (the first of its topics); papers whose best topic the reader does not follow come after, by first
  // appearance ("More papers" when they have none). A reader of one topic gets one unlabelled section
  // with every topic shown on each paper. Loops over the reader's few topics and papers, building no
  // section objects: this runs once per reader (test/unit/render-sections.test.ts checks it against the
  // plain group-and-sort).
  const distinct = (items: readonly DigestItem[]): readonly DigestItem[] => {
    // A digest's few papers are compared pairwise; a listing repeated (never from personalize) is
    // filtered to its first copy.
    for (let i = 1; i < items.length; i++) {
      const id = (items[i] as DigestItem).paper.id;
      for (let j = 0; j < i; j++) {
        if ((items[j] as DigestItem).paper.id === id) {
          const seen = new Set<string>();
          return items.filter((each) => !seen.has(each.paper.id) && seen.add(each.paper.id));
        }
      }
    }
    return items;
  };
  const bestOf = (item: DigestItem): string => item.topics[0] ?? "";
  /** One section: its heading, then its papers in digest order (nothing when it has none). */
  const appendSection = (
    list: readonly DigestItem[],
    best: string,
    title: string,
    html: Chunk[],
    text: Chunk[],
  ): void => {
    let count = 0;
    for (const item of list) if (bestOf(item) === best) count++;
    if (count === 0) return;
    const head = heading(title, count);
    html.push(head.html);
    text.push(head.text);
    for (const item of list) {
      if (bestOf(item) !== best) continue;
      const shown = shownItem(item, 1, "h3", "Also in");
      html.push(shown.html);
      text.push(shown.text);
    }
  };
  const appendPapers = (digest: Digest, html: Chunk[], text: Chunk[]): void => {
    const list = distinct(digest.items);
    const readerTopics = digest.subscriber.topics;
    if (readerTopics.length <= 1) {
      for (const item of list) {
        const shown = shownItem(item, 0, "h2", undefined);
        html.push(shown.html);
        text.push(shown.text);
      }
      return;
    }
    for (let t = 0; t < readerTopics.length; t++) {
      const id = readerTopics[t] as string;
      if (readerTopics.indexOf(id) === t) appendSection(list, id, topicName(topics, id), html, text);
    }
    const others: string[] = [];
    for (const item of list) {
      const best = bestOf(item);
      if (!readerTopics.includes(best) && !others.includes(best)) others.push(best);
    }
    for (const best of others) {
      appendSection(list, best, best ? topicName(topics, best) : "More papers", html, text);
    }
  };

  const greetingTemplate = toChunks(TEMPLATES.greeting);
  const unsubscribeTemplate = toChunks(TEMPLATES.unsubscribe);
  // What readers share besides papers, found by path (no key strings): the subject, preheader and count
  // by paper count and top paper; the greeting and notes by paper count and note for readers without a
  // name (a named reader's are made for them). Bounded.
  interface Head {
    subject: string;
    /** The page up to the first slot that differs per reader (title, preheader and count filled in). */
    pageTop: Chunk;
    /** The text part up to the greeting. */
    textTop: Chunk;
  }
  const heads = new PathMemo<Head>(8192);
  const headOf = (count: number, top: DigestItem | undefined): Head => {
    const node = heads.step(heads.step(heads.start(), count), top?.paper.id ?? "");
    return node.value ?? heads.value(node, () => makeHead(count, top));
  };
  const makeHead = (count: number, top: DigestItem | undefined): Head => {
    const subject = subjectLine(subjectStart, count, top ? shortTitle(top.paper, SUBJECT_TITLE_MAX) : "");
    const preheader = top
      ? `${countPapers(count)}: ${shortTitle(top.paper, 70)}${count > 1 ? ` and ${count - 1} more` : ""}`
      : NOTHING_TODAY;
    const countLine = count ? countPapers(count) : "no new papers";
    const pageTop: Chunk[] = [];
    fillChunks(
      shellTop,
      {
        title: chunkOf(escapeHtml(subject)),
        preheader: chunkOf(escapeHtml(preheader)),
        count: chunkOf(escapeHtml(countLine)),
      },
      pageTop,
    );
    return {
      subject,
      pageTop: joinedChunk(pageTop),
      textTop: joinedChunk([textHead, chunkOf(`${countLine}\n`), viewInBrowserText]),
    };
  };
  // The topics a reader follows, as cached pieces, one per topic carrying what comes before it (", " or
  // the text's lead-in): k topics are k pieces in each part, and the soft line breaks between them decode
  // to nothing. Readers' topic lists are too varied to cache whole (7,397 lists among the bench's 10,000
  // readers), and a piece per name makes none per reader.
  const topicPieces = new Memo<string, { first: Shown; next: Shown }>();
  const makeTopicPiece = (id: string) => {
    const name = topicName(topics, id);
    return {
      first: { html: chunkOf(escapeHtml(name)), text: chunkOf(`--\nYou get this digest for: ${name}`) },
      next: { html: chunkOf(`, ${escapeHtml(name)}`), text: chunkOf(`, ${name}`) },
    };
  };
  const topicPiece = (id: string) => topicPieces.get(id, makeTopicPiece);
  const appendFollowed = (ids: readonly string[], html: Chunk[], text: Chunk[]): void => {
    if (ids.length === 0) {
      text.push(SIGNATURE);
      return;
    }
    for (let at = 0; at < ids.length; at++) {
      const piece = topicPiece(ids[at] as string);
      const shown = at === 0 ? piece.first : piece.next;
      html.push(shown.html);
      text.push(shown.text);
    }
    text.push(FOLLOWED_END);
  };
  interface Greeting {
    html: Chunk[];
    notesHtml: Chunk;
    text: Chunk;
  }
  const greetingFor = (name: string, count: number, note: string): Greeting => {
    const greeting = count
      ? `${name ? `Hi ${name}, here` : "Here"} ${count === 1 ? "is" : "are"} today's ${countPapers(count)} for you.`
      : "";
    const html: Chunk[] = [];
    if (greeting) fillChunks(greetingTemplate, { text: chunkOf(escapeHtml(greeting)) }, html);
    const own = note || (count === 0 ? NOTHING_TODAY : "");
    let notesText = "";
    for (const each of commonNotes) notesText += `Note: ${each}\n`;
    if (own) notesText += `Note: ${own}\n`;
    return {
      html,
      notesHtml: own ? chunkOf(noteHtml(own)) : EMPTY,
      text: chunkOf(`\n${greeting ? `${greeting}\n\n` : ""}${notesText}${notesText ? "\n" : ""}`),
    };
  };
  const greetings = new PathMemo<Greeting>(8192);
  const greetingOf = (name: string, count: number, note: string): Greeting => {
    if (name) return greetingFor(name, count, note);
    const node = greetings.step(greetings.step(greetings.start(), count), note);
    return node.value ?? greetings.value(node, () => greetingFor(name, count, note));
  };

  return {
    render(digest, extras = {}) {
      const items = digest.items;
      const top = topPaper(items);
      const head = headOf(items.length, top);
      const greeting = greetingOf(
        cleanText(digest.subscriber.name ?? ""),
        items.length,
        cleanText(extras.note ?? ""),
      );
      const followedHtml: Chunk[] = [];
      const unsubscribeUrl = safeHttpUrl(extras.unsubscribeUrl);

      const html: Chunk[] = [];
      const text: Chunk[] = [head.textTop, greeting.text];
      appendPapers(digest, html, text);
      appendFollowed(digest.subscriber.topics, followedHtml, text);
      const unsubscribeHtml: Chunk[] = [];
      if (unsubscribeUrl) {
        text.push(UNSUBSCRIBE_TEXT, chunkOf(`${unsubscribeUrl}\n`));
        fillChunks(unsubscribeTemplate, { href: chunkOf(escapeHtml(unsubscribeUrl)) }, unsubscribeHtml);
      }
      const page: Chunk[] = [head.pageTop];
      fillChunks(
        shellRest,
        {
          greeting: greeting.html,
          notes: [commonNotesHtml, greeting.notesHtml],
          content: html,
          topics: followedHtml,
          unsubscribe: unsubscribeHtml,
        },
        page,
      );
      return new ChunkedDigest(head.subject, page, text);
    },
  };
}

const EMPTY = chunkOf("");
const UNSUBSCRIBE_TEXT = chunkOf("Unsubscribe: ");
const SIGNATURE = chunkOf("--\n");
const FOLLOWED_END = chunkOf(".\n");

const WHY_TEXT = chunkOf("Why: ");

const NEWLINE = chunkOf("\n");

// The renderer assembles each message as UTF-8 chunks. buildMessage encodes them chunk by chunk (most
// are cached pieces shared by many readers, encoded once: mime.ts); they are joined only for whoever
// needs the whole part (the outbox's browser preview), once, and decoded to strings only if something
// reads `html`/`text`.
type Part = "html" | "text";

/** A RenderedDigest made of chunks; `html` and `text` are joined and decoded on first read. */
class ChunkedDigest implements RenderedDigest {
  readonly chunks: Readonly<Record<Part, readonly Chunk[]>>;
  readonly joined: Partial<Record<Part, Buffer>> = {};
  private htmlString: string | undefined;
  private textString: string | undefined;

  constructor(
    readonly subject: string,
    html: Chunk[],
    text: Chunk[],
  ) {
    this.chunks = { html, text };
  }

  get html(): string {
    this.htmlString ??= bytesOf(this, "html").toString("utf8");
    return this.htmlString;
  }

  get text(): string {
    this.textString ??= bytesOf(this, "text").toString("utf8");
    return this.textString;
  }
}

/** The digest's HTML as UTF-8, joined once for all who ask. */
export function htmlBytes(rendered: RenderedDigest): Buffer {
  return bytesOf(rendered, "html");
}

/**
 * A part as the chunks it was assembled from, in order (each one whole UTF-8). Cached pieces are the
 * same objects in every message of a renderer, so what is derived from them is derived once.
 */
export function partChunks(rendered: RenderedDigest, part: Part): readonly Chunk[] {
  return rendered instanceof ChunkedDigest ? rendered.chunks[part] : [chunkOf(rendered[part])];
}

function bytesOf(rendered: RenderedDigest, part: Part): Buffer {
  if (!(rendered instanceof ChunkedDigest)) return Buffer.from(rendered[part], "utf8");
  const joined = rendered.joined[part] ?? joinChunks(rendered.chunks[part]);
  rendered.joined[part] = joined;
  return joined;
}

/** The highest-scoring item (the first of equals), whose title goes into the subject. */
function topPaper(items: readonly DigestItem[]): DigestItem | undefined {
  let best: DigestItem | undefined;
  for (const item of items) if (!best || item.score > best.score) best = item;
  return best;
}
