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

const termCache = new Map<string, string>();

/** The stem a word counts as: "" for a stop word or a lone digit (cached, like stem). */
export function termOf(word: string): string {
  let t = termCache.get(word);
  if (t === undefined) {
    t = STOP_WORDS.has(word) || /^\d$/.test(word) ? "" : stem(word);
    if (termCache.size < 200_000) termCache.set(word, t);
  }
  return t;
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
  return termsOfWords(words(text));
}

/** terms() of a text already split by words(). */
export function termsOfWords(textWords: readonly string[]): string[] {
  const out: string[] = [];
  let prev = "";
  for (const word of textWords) {
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

/** What one word counts for in a TermIndex. */
interface IndexedWord {
  /** Its stem; "" for a stop word or a lone digit. */
  stem: string;
  /** The stem's id, or -1 when the index does not hold it. */
  id: number;
  /** Ids of the indexed phrases starting with this stem, by second stem. */
  phrases: Map<string, number> | undefined;
}

/** A paper's counts of the terms of a TermIndex, by id. */
export interface IndexedCounts {
  /** Field-weighted count of each term; NaN when the paper does not have it. */
  tf: Float64Array;
  /** 1 for each term of the title. */
  title: Uint8Array;
}

/** A field of a paper: its words, and the weight of one occurrence. */
export interface WeightedWords {
  words: readonly string[];
  weight: number;
}

/**
 * Ids for a fixed set of terms (everything a classifier's topics look up: query terms, key and exclude
 * phrases) and a counter of just those terms in a paper. The counts equal termCounts' for these terms,
 * without making the paper's other terms: most of them, and each phrase key among them a new string.
 */
export class TermIndex {
  private readonly ids = new Map<string, number>();
  private readonly stemIds = new Map<string, number>();
  private readonly phrasesByFirst = new Map<string, Map<string, number>>();
  private byWord = new Map<string, IndexedWord>();
  private counted: { owner: object; counts: IndexedCounts } | undefined;

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
    // What words count for, and the counts made so far, have changed.
    this.byWord = new Map();
    this.counted = undefined;
    return id;
  }

  /**
   * A paper's counts: for each field (the first is the title) and each indexed term among its terms()
   * (same order), the field's weight added. Counted once for `owner` (the paper's PaperTerms) however
   * many topics score it. Dangerous spot: the arrays are reused for the next paper, so they are only
   * good until countsOf is called for another owner.
   */
  countsOf(owner: object, fields: readonly WeightedWords[]): IndexedCounts {
    if (this.counted?.owner === owner) return this.counted.counts;
    let counts = this.counted?.counts;
    if (counts === undefined) counts = { tf: new Float64Array(this.size), title: new Uint8Array(this.size) };
    counts.tf.fill(Number.NaN);
    counts.title.fill(0);
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i] as WeightedWords;
      this.count(field.words, field.weight, counts, i === 0);
    }
    this.counted = { owner, counts };
    return counts;
  }

  private count(textWords: readonly string[], weight: number, counts: IndexedCounts, inTitle: boolean): void {
    const { tf, title } = counts;
    let prev: IndexedWord | undefined;
    for (const word of textWords) {
      const current = this.word(word);
      if (current.stem === "") continue;
      if (current.id >= 0) {
        const f = tf[current.id] as number;
        tf[current.id] = Number.isNaN(f) ? weight : f + weight;
        if (inTitle) title[current.id] = 1;
      }
      const phrase = prev?.phrases?.get(current.stem);
      if (phrase !== undefined) {
        const f = tf[phrase] as number;
        tf[phrase] = Number.isNaN(f) ? weight : f + weight;
        if (inTitle) title[phrase] = 1;
      }
      prev = current;
    }
  }

  private word(word: string): IndexedWord {
    let known = this.byWord.get(word);
    if (known === undefined) {
      const s = termOf(word);
      known = { stem: s, id: this.stemIds.get(s) ?? -1, phrases: this.phrasesByFirst.get(s) };
      if (this.byWord.size < 200_000) this.byWord.set(word, known);
    }
    return known;
  }
}
