/** Why-lines: one short plain-text sentence naming what matched (the renderer escapes it). */
import type { TopicConfig } from "../config/schema.js";
import type { TopicMatch } from "../domain/tagging.js";

/** A why-line in parts, for renderers that want to emphasise the matched words themselves. */
export interface WhyParts {
  /** Keyword phrases found in the title. */
  title: string[];
  /** Keyword phrases found elsewhere (abstract, HF keywords). */
  keywords: string[];
  /** Other topic words that matched. */
  terms: string[];
}

const MAX_ITEMS = 3;

/** The parts of a why-line: title phrases first, then other keyword phrases, then plain words; no repeats. */
export function whyParts(match: TopicMatch): WhyParts {
  const title = unique(match.evidence.title).slice(0, MAX_ITEMS);
  const keywords = unique(match.evidence.keywords)
    .filter((k) => !title.includes(k))
    .slice(0, MAX_ITEMS);
  const said = new Set([...title, ...keywords].flatMap((s) => s.toLowerCase().split(/\s+/)));
  const terms = unique(match.evidence.terms)
    .filter((t) => !said.has(t.toLowerCase()))
    .slice(0, MAX_ITEMS);
  return { title, keywords, terms };
}

/** "Title mentions tool use; matches task planning, LLM agents; also: benchmark" (plain text). */
export function explainMatch(match: TopicMatch, topic: TopicConfig): string {
  const { title, keywords, terms } = whyParts(match);
  const parts: string[] = [];
  if (title.length > 0) parts.push(`title mentions ${title.join(", ")}`);
  if (keywords.length > 0) parts.push(`matches ${keywords.join(", ")}`);
  if (terms.length > 0) parts.push(`${parts.length > 0 ? "also " : "mentions "}${terms.join(", ")}`);
  const body = parts.length > 0 ? parts.join("; ") : "close in meaning to the topic";
  return `${topic.name}: ${body}`;
}

function unique(xs: string[]): string[] {
  const seen = new Set<string>();
  return xs.filter((x) => {
    const k = x.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
