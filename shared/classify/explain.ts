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
  const said: Phrase[] = [];
  /** Keeps items not already said, and not contained word-for-word in a longer item of the same list. */
  const fresh = (items: string[]) => {
    const list = unique(items).map(phrase);
    const kept = list
      .filter((x) => !list.some((y) => y !== x && containsWords(y, x)))
      .filter((x) => !said.some((y) => containsWords(y, x)))
      .slice(0, MAX_ITEMS);
    said.push(...kept);
    return kept.map((x) => x.text);
  };
  const title = fresh(match.evidence.title);
  const keywords = fresh(match.evidence.keywords);
  const terms = fresh(match.evidence.terms);
  return { title, keywords, terms };
}

/** A phrase with its lower-cased words, split once: every pair of phrases is compared. */
interface Phrase {
  text: string;
  words: string[];
  wordSet: ReadonlySet<string>;
}

function phrase(text: string): Phrase {
  const words = text.toLowerCase().split(/[\s-]+/);
  return { text, words, wordSet: new Set(words) };
}

/** True when every word of `inner` is a word of `outer` (case-insensitive). */
function containsWords(outer: Phrase, inner: Phrase): boolean {
  return inner.words.every((w) => outer.wordSet.has(w));
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
