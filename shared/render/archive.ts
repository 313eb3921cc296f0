/** The daily archive page: every tagged paper of the day, grouped by its best topic, in the digest's look. */
import type { TopicConfig } from "../config/schema.js";
import { safeSegment } from "../domain/keys.js";
import type { TaggedPaper, TopicMatch } from "../domain/tagging.js";
import { fillCard, paperCardTemplate } from "./card.js";
import { cleanText, escapeHtml } from "./escape.js";
import { countPapers, formatLongDate, formatShortDate } from "./format.js";
import { cardChips } from "./paper-view.js";
import { topicName, topicNames } from "./sections.js";
import { fillTemplate } from "./template.js";
import { TEMPLATES } from "./templates.generated.js";

interface ArchiveSection {
  id: string;
  title: string;
  papers: TaggedPaper[];
}

/** A standalone HTML page of the day's tagged papers (papers that matched no topic are only counted). */
export function renderArchive(date: string, tagged: TaggedPaper[], topics: TopicConfig[]): string {
  const byId = topicNames(topics);
  const sections = groupTagged(tagged, topics);
  const shown = sections.reduce((sum, section) => sum + section.papers.length, 0);
  const untagged = tagged.length - shown;
  const nav =
    sections.length > 1
      ? fillTemplate(TEMPLATES.nav, {
          items: sections
            .map((section) =>
              fillTemplate(TEMPLATES.navLink, {
                href: `#topic-${section.id}`,
                label: escapeHtml(`${section.title} (${section.papers.length})`),
              }),
            )
            .join(fillTemplate(TEMPLATES.separator, {})),
        })
      : "";
  const content = sections.length
    ? sections
        .map(
          (section) =>
            fillTemplate(TEMPLATES.sectionAnchored, {
              id: `topic-${section.id}`,
              title: escapeHtml(section.title),
              count: ` ${countPapers(section.papers.length)}`,
            }) +
            section.papers
              .map(({ paper, matches }) =>
                // The digests' h3 card of the paper, its other topics as pills.
                fillCard(paperCardTemplate(paper, "h3"), {
                  ...cardChips(
                    matches.slice(1).map((match) => topicName(byId, match.topicId)),
                    "Also in",
                  ),
                  ...matchedLine(matches[0]),
                }),
              )
              .join(""),
        )
        .join("")
    : fillTemplate(TEMPLATES.message, { text: "No paper matched a topic on this day." });
  return fillTemplate(TEMPLATES.webShell, {
    title: escapeHtml(`Paperboy · ${formatShortDate(date)} · archive`),
    dateLine: escapeHtml(formatLongDate(date)),
    subline: escapeHtml(
      `${countPapers(shown)} in ${sections.length} ${sections.length === 1 ? "topic" : "topics"}`,
    ),
    nav,
    content,
    footer: escapeHtml(
      `Paperboy · the daily archive${untagged > 0 ? ` · ${countPapers(untagged)} of the day matched no topic and are not listed` : ""}`,
    ),
  });
}

/** "Matched: agentic, tool use" from the best match's evidence, as the card's why-line. */
function matchedLine(match: TopicMatch | undefined): { why?: string } {
  const evidence = match?.evidence;
  if (!evidence) return {};
  const terms = [
    ...new Set([...evidence.title, ...evidence.keywords, ...evidence.terms].map(cleanText)),
  ].filter(Boolean);
  return terms.length ? { why: `Matched: ${terms.slice(0, 5).join(", ")}` } : {};
}

/** Sections in config order (unknown topics after), papers by score, each paper once under its best match. */
function groupTagged(tagged: readonly TaggedPaper[], topics: readonly TopicConfig[]): ArchiveSection[] {
  const byId = topicNames(topics);
  const groups = new Map<string, Array<{ entry: TaggedPaper; score: number }>>();
  const seen = new Set<string>();
  for (const entry of tagged) {
    const best = entry.matches[0];
    if (!best || seen.has(entry.paper.id)) continue;
    seen.add(entry.paper.id);
    const list = groups.get(best.topicId) ?? [];
    list.push({ entry, score: best.score });
    groups.set(best.topicId, list);
  }
  const order = (id: string): number => {
    const at = topics.findIndex((topic) => topic.id === id);
    return at === -1 ? topics.length : at;
  };
  return [...groups.entries()]
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
    .map(([id, list]) => ({
      id: safeSegment(id),
      title: topicName(byId, id),
      papers: list.sort((a, b) => b.score - a.score).map(({ entry }) => entry),
    }));
}
