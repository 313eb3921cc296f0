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
import { paperText, toPaperView, topicsText } from "./paper-view.js";
import { groupByTopic, topicName, topicNames } from "./sections.js";
import { fillTemplate, partialFill, type Template } from "./template.js";
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
  subject: string;
  html: string;
  text: string;
}

export interface DigestRenderer {
  render(digest: Digest, extras?: { unsubscribeUrl?: string; note?: string }): RenderedDigest;
}

interface CachedCard {
  /** Slots left: chips, why. */
  html: Template;
  text: { head: string; tail: string };
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
  const shell = partialFill(TEMPLATES.digestShell, {
    dateLine: escapeHtml(dateLine),
    viewInBrowser: archiveUrl ? fillTemplate(TEMPLATES.viewInBrowser, { href: archiveHref }) : "",
    allPapers: archiveUrl ? fillTemplate(TEMPLATES.allPapers, { href: archiveHref }) : "",
  });
  const noteHtml = (note: string) => fillTemplate(TEMPLATES.note, { text: escapeHtml(note) });
  const commonNotes = (ctx.notes ?? []).map(cleanText).filter(Boolean);
  const commonNotesHtml = commonNotes.map(noteHtml).join("");

  const cards = new Map<string, CachedCard>();
  const card = (paper: Paper, level: "h2" | "h3"): CachedCard => {
    const key = `${level}:${paper.id}`;
    let cached = cards.get(key);
    if (!cached) {
      const view = toPaperView(paper, []);
      cached = { html: cardTemplate(view, level), text: paperText(view) };
      cards.set(key, cached);
    }
    return cached;
  };
  // Topic pill lines: few distinct combinations per day.
  const chipLines = new Map<string, string>();
  const chips = (names: string[], label: string | undefined): string => {
    const key = `${label ?? ""}\u0001${names.join("\u0002")}`;
    let html = chipLines.get(key);
    if (html === undefined) {
      html = chipsHtml(names, label);
      chipLines.set(key, html);
    }
    return html;
  };
  const shortTitles = new Map<string, string>();
  const shortTitle = (paper: Paper, max: number): string => {
    const key = `${max}:${paper.id}`;
    let title = shortTitles.get(key);
    if (title === undefined) {
      title = shortenAtWord(paper.title, max);
      shortTitles.set(key, title);
    }
    return title;
  };

  return {
    render(digest, extras = {}) {
      const items = digest.items;
      const sections = groupByTopic(items, digest.subscriber.topics, topics);
      const labelled = sections.some((section) => section.title);
      const label = labelled ? "Also in" : undefined;
      const html: string[] = [];
      const text: string[] = [];
      for (const section of sections) {
        if (section.title) {
          html.push(
            fillTemplate(TEMPLATES.section, {
              title: escapeHtml(section.title),
              count: ` ${countPapers(section.items.length)}`,
            }),
          );
          text.push(`${section.title.toUpperCase()}\n${"=".repeat(Math.min(section.title.length, 60))}\n\n`);
        }
        for (const { item, chips: names } of section.items) {
          const cached = card(item.paper, labelled ? "h3" : "h2");
          const why = cleanText(item.why ?? "");
          html.push(fillTemplate(cached.html, { chips: chips(names, label), why: whyHtml(why) }));
          text.push(
            `${cached.text.head}${topicsText(names, label)}${why ? `Why: ${why}\n` : ""}${cached.text.tail}\n`,
          );
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

      const page = fillTemplate(shell, {
        title: escapeHtml(subject),
        preheader: escapeHtml(preheader),
        count: escapeHtml(countLine),
        greeting: greeting ? fillTemplate(TEMPLATES.greeting, { text: escapeHtml(greeting) }) : "",
        notes: commonNotesHtml + notes.slice(commonNotes.length).map(noteHtml).join(""),
        content: html.join(""),
        topics: escapeHtml(followed),
        unsubscribe: unsubscribeUrl
          ? fillTemplate(TEMPLATES.unsubscribe, { href: escapeHtml(unsubscribeUrl) })
          : "",
      });

      const textParts = [
        `PAPERBOY · ${dateLine} · ${countLine}\n`,
        archiveUrl ? `View in browser: ${archiveUrl}\n` : "",
        "\n",
        greeting ? `${greeting}\n\n` : "",
        ...notes.map((n) => `Note: ${n}\n`),
        notes.length ? "\n" : "",
        ...text,
        "--\n",
        followed ? `You get this digest for: ${followed}.\n` : "",
        unsubscribeUrl ? `Unsubscribe: ${unsubscribeUrl}\n` : "",
      ];
      return { subject, html: page, text: textParts.join("") };
    },
  };
}

/** The highest-scoring item (the first of equals), whose title goes into the subject. */
function topPaper(items: readonly DigestItem[]): DigestItem | undefined {
  let best: DigestItem | undefined;
  for (const item of items) if (!best || item.score > best.score) best = item;
  return best;
}
