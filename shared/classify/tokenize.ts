/** Text → terms: lower-cased word tokens, English stop words dropped, Porter stems, adjacent-pair phrases. */
import { stemmer } from "stemmer";

/** One word of a text: its lower-cased surface form and its stem ("" for a stop word). */
export interface Token {
  word: string;
  stem: string;
}

/** Words that carry no topic: English function words plus the filler of abstracts and topic descriptions. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "a about above after again against all also am an and any are as at be because been before being below " +
    "between both but by can could did do does doing down during each either et etc few for from further " +
    "had has have having he her here hers him his how however i if in into is it its itself just may me " +
    "might more most much must my no nor not now of off on once only or other our ours out over own per " +
    "same she should so some such than that the their theirs them then there these they this those through " +
    "thus to too under until up upon us very via was we were what when where whether which while who whom " +
    "why will with within without would yet you your vs al e g eg ie i.e " +
    // reader filler: words a topic description uses that say nothing about the topic
    "paper papers work works study studies approach approaches method methods technique techniques new novel " +
    "propose proposed proposes present presents presented show shows shown using towards toward " +
    "including include includes especially related topic topics interest interested anything everything " +
    "things thing kind kinds around"
  ).split(" "),
);

/** Splits text into word tokens: lower-case, runs of [a-z0-9] (hyphens and punctuation split words). */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

const stemCache = new Map<string, string>();

/** Porter stem of one lower-case word (cached: the same words recur across thousands of papers). */
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = word.length <= 3 ? word : stemmer(word);
    if (stemCache.size < 200_000) stemCache.set(word, s);
  }
  return s;
}

/** The stem a word counts as: "" for a stop word or a lone digit (they count for nothing). */
export function termOf(word: string): string {
  return STOP_WORDS.has(word) || /^\d$/.test(word) ? "" : stem(word);
}

/** Tokens of a text; stop words and lone digits get stem "" (they count for nothing). */
export function tokenize(text: string): Token[] {
  return words(text).map((word) => ({ word, stem: termOf(word) }));
}

/** Joins two stems into the key of a two-word phrase. */
export function phraseKey(a: string, b: string): string {
  return `${a} ${b}`;
}

/**
 * The terms of a text: every content stem, and every pair of consecutive content stems as a phrase
 * ("tool use" → "tool", "use", "tool use"; "learning to rank" → "learn rank"). Stop words are skipped.
 */
export function terms(text: string): string[] {
  const out: string[] = [];
  let prev = "";
  for (const word of words(text)) {
    const s = termOf(word);
    if (s === "") continue;
    out.push(s);
    if (prev !== "") out.push(phraseKey(prev, s));
    prev = s;
  }
  return out;
}

/** Counts how often each term occurs. */
export function termCounts(
  text: string,
  into: Map<string, number> = new Map(),
  weight = 1,
): Map<string, number> {
  for (const t of terms(text)) into.set(t, (into.get(t) ?? 0) + weight);
  return into;
}

/**
 * Ids for a set of terms: everything a classifier's topics look up in a paper (query terms, key and
 * exclude phrases). Papers are then counted for these terms only (score.ts, PaperReader).
 */
export class TermIndex {
  private readonly ids = new Map<string, number>();
  private readonly stemIds = new Map<string, number>();
  private readonly phrasesByFirst = new Map<string, Map<string, number>>();

  /** Number of terms (ids run from 0 to size − 1). */
  get size(): number {
    return this.ids.size;
  }

  /** The term's id, added when new. */
  add(term: string): number {
    let id = this.ids.get(term);
    if (id !== undefined) return id;
    id = this.ids.size;
    this.ids.set(term, id);
    const space = term.indexOf(" ");
    if (space < 0) {
      this.stemIds.set(term, id);
    } else {
      const first = term.slice(0, space);
      const phrases = this.phrasesByFirst.get(first) ?? new Map<string, number>();
      phrases.set(term.slice(space + 1), id);
      this.phrasesByFirst.set(first, phrases);
    }
    return id;
  }

  /** The id of a one-stem term, or -1. */
  stemId(stem: string): number {
    return this.stemIds.get(stem) ?? -1;
  }

  /** The ids of the two-stem terms (phrases) starting with `stem`, by their second stem. */
  phrasesAfter(stem: string): ReadonlyMap<string, number> | undefined {
    return this.phrasesByFirst.get(stem);
  }
}
