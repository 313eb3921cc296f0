/**
 * The digest renderer: React Email renders the page shell once and each paper card once per day (cached by
 * paper id + topic display); every reader's message is then assembled from those pieces by string joins.
 */
import type { TopicConfig } from "../config/schema.js";
import type { Paper } from "../domain/paper.js";
import type { Digest, DigestItem } from "../domain/tagging.js";
import { Note, Page, PaperCard, SectionHeading, SmallLink, TopicChips } from "./components.js";
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
import { compileTemplate, fillTemplate, renderMarkup, slot, type Template } from "./template.js";
import { color } from "./theme.js";

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

interface CachedBlock {
  html: Template;
  text: { head: string; tail: string };
}

const NOTHING_TODAY = "Nothing new matched your topics today.";

/** A renderer for one day: shell rendered now, paper cards on first use, messages by assembly. */
export function createDigestRenderer(ctx: RenderContext): DigestRenderer {
  parseDay(ctx.date);
  const topics = topicNames(ctx.topics);
  const dateLine = formatLongDate(ctx.date);
  const subjectStart = subjectHead(ctx.subjectPrefix, ctx.date);
  const archiveUrl = safeHttpUrl(ctx.archiveUrl);
  const shell = compileTemplate(
    renderMarkup(<DigestShell dateLine={dateLine} archiveUrl={archiveUrl} />, true),
  );
  const noteTemplate = compileTemplate(renderMarkup(<Note>{slot("text")}</Note>));
  const greetingTemplate = compileTemplate(
    renderMarkup(
      <p
        className="pb-text"
        style={{ margin: "0 4px 14px", fontSize: "15px", lineHeight: "22px", color: color.text }}
      >
        {slot("text")}
      </p>,
    ),
  );
  const sectionTemplate = compileTemplate(
    renderMarkup(<SectionHeading title={slot("title")} count={slot("count")} />),
  );
  const unsubscribeTemplate = compileTemplate(
    renderMarkup(
      <>
        {" · "}
        <SmallLink href={slot("href")}>Unsubscribe</SmallLink>
      </>,
    ),
  );
  const commonNotes = (ctx.notes ?? []).map(cleanText).filter(Boolean);
  const commonNotesHtml = commonNotes
    .map((note) => fillTemplate(noteTemplate, { text: escapeHtml(note) }))
    .join("");
  const blocks = new Map<string, CachedBlock>();
  const chipLines = new Map<string, string>();
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

  // One card per paper and heading level; the reader-dependent topics and why-line are slots.
  const block = (item: DigestItem, level: "h2" | "h3"): CachedBlock => {
    const key = `${level}:${item.paper.id}`;
    let cached = blocks.get(key);
    if (!cached) {
      const view = toPaperView(item.paper, []);
      cached = {
        html: compileTemplate(
          renderMarkup(
            <PaperCard paper={{ ...view, why: slot("why") }} level={level} topics={slot("topics")} />,
          ),
        ),
        text: paperText(view),
      };
      blocks.set(key, cached);
    }
    return cached;
  };

  // Topic pills are few distinct combinations: rendered once each.
  const chipsHtml = (chips: string[], label: string | undefined): string => {
    const key = `${label ?? ""}\u0001${chips.join("\u0002")}`;
    let html = chipLines.get(key);
    if (html === undefined) {
      html = renderMarkup(<TopicChips chips={chips} label={label} />);
      chipLines.set(key, html);
    }
    return html;
  };

  return {
    render(digest, extras = {}) {
      const items = digest.items;
      const sections = groupByTopic(items, digest.subscriber.topics, topics);
      const labelled = sections.some((section) => section.title);
      const html: string[] = [];
      const text: string[] = [];
      for (const section of sections) {
        if (section.title) {
          html.push(
            fillTemplate(sectionTemplate, {
              title: escapeHtml(section.title),
              count: ` ${countPapers(section.items.length)}`,
            }),
          );
          text.push(`${section.title.toUpperCase()}\n${"=".repeat(Math.min(section.title.length, 60))}\n\n`);
        }
        for (const { item, chips } of section.items) {
          const cached = block(item, labelled ? "h3" : "h2");
          const label = labelled ? "Also in" : undefined;
          const why = cleanText(item.why ?? "");
          html.push(cardHtml(cached.html, chipsHtml(chips, label), why));
          text.push(
            `${cached.text.head}${topicsText(chips, label)}${why ? `Why: ${why}\n` : ""}${cached.text.tail}\n`,
          );
        }
      }

      const notes = [...commonNotes];
      const note = cleanText(extras.note ?? "");
      if (note) notes.push(note);
      else if (items.length === 0) notes.push(NOTHING_TODAY);
      const notesHtml =
        commonNotesHtml +
        notes
          .slice(commonNotes.length)
          .map((n) => fillTemplate(noteTemplate, { text: escapeHtml(n) }))
          .join("");

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

      const filled = fillTemplate(shell, {
        title: escapeHtml(subject),
        preheader: escapeHtml(preheader),
        count: escapeHtml(countPapers(items.length)),
        greeting: greeting ? fillTemplate(greetingTemplate, { text: escapeHtml(greeting) }) : "",
        notes: notesHtml,
        content: html.join(""),
        topics: escapeHtml(followed),
        unsubscribe: unsubscribeUrl
          ? fillTemplate(unsubscribeTemplate, { href: escapeHtml(unsubscribeUrl) })
          : "",
      });

      const textParts = [
        `PAPERBOY · ${dateLine} · ${countPapers(items.length)}\n`,
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
      return { subject, html: filled, text: textParts.join("") };
    },
  };
}

/** The highest-scoring item (the first of equals), whose title goes into the subject. */
function topPaper(items: readonly DigestItem[]): DigestItem | undefined {
  let best: DigestItem | undefined;
  for (const item of items) if (!best || item.score > best.score) best = item;
  return best;
}

function cardHtml(template: Template, topics: string, why: string): string {
  if (why) return fillTemplate(template, { topics, why: escapeHtml(why) });
  // No why-line: drop the (now empty) paragraph that held it.
  return fillTemplate(template, { topics, why: "" }).replace(/<p[^>]*class="pb-why[^"]*"[^>]*><\/p>/, "");
}

/** The email page with slots for everything that differs per reader. */
function DigestShell({ dateLine, archiveUrl }: { dateLine: string; archiveUrl: string | undefined }) {
  return (
    <Page
      title={slot("title")}
      preheader={slot("preheader")}
      dateLine={dateLine}
      subline={
        <>
          {slot("count")}
          {archiveUrl ? (
            <>
              {" · "}
              <SmallLink href={archiveUrl}>View in browser</SmallLink>
            </>
          ) : null}
        </>
      }
      footer={
        <>
          <p style={{ margin: "0 0 6px" }}>You get this digest for: {slot("topics")}.</p>
          <p style={{ margin: 0 }}>
            <span className="pb-muted" style={{ color: color.muted }}>
              Paperboy · a daily research digest
            </span>
            {archiveUrl ? (
              <>
                {" · "}
                <SmallLink href={archiveUrl}>All of today's papers</SmallLink>
              </>
            ) : null}
            {slot("unsubscribe")}
          </p>
        </>
      }
    >
      {slot("greeting")}
      {slot("notes")}
      {slot("content")}
    </Page>
  );
}
