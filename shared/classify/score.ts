/**
 * The scoring core: a topic's words become a weighted query (name and keywords count double, phrases
 * kept as two-word terms, IDF from the shipped background); a paper becomes field-weighted term counts
 * (title over abstract, HF keywords when present). Lexical score = BM25F coverage of the query in [0, 1);
 * semantic score = cosine of SIF word-vector averages. A fixed logistic maps both to a calibrated score.
 */
import type { TopicConfig } from "../config/schema.js";
import type { Paper } from "../domain/paper.js";
import type { Evidence } from "../domain/tagging.js";
import { type Background, idf } from "./background.js";
import { STOP_WORDS, stem, TermIndex, termOf, terms, tokenize, words } from "./tokenize.js";
import { cosineBackground, dot, rowsVector, textVector, type WordVectors } from "./vectors.js";
import { isWordCode, WORD_HASH_SEED, WordTable, wordHashStep } from "./word-table.js";

/** Tunable constants of the scorer (measured with `npm run eval`; see eval/RESULTS.md). */
export interface ScoringParams {
  /** Weight of a title occurrence relative to an abstract occurrence. */
  titleWeight: number;
  /** Weight of an HF AI keyword occurrence. */
  aiKeywordWeight: number;
  /** Weight of an HF AI summary occurrence. */
  aiSummaryWeight: number;
  /** Query weight of terms from the topic's name, keywords, description and example titles. */
  nameWeight: number;
  keywordWeight: number;
  descriptionWeight: number;
  exampleWeight: number;
  /** Multiplier on two-word phrase terms of the query. */
  phraseWeight: number;
  /** Added to the lexical score, times the share of the topic's key phrases found in the paper. */
  phraseBonus: number;
  /** BM25 saturation and length normalization. */
  k1: number;
  b: number;
  /**
   * Calibration: the lexical score and the cosine each become a z-score against what a random background
   * paper would get for this topic; then score = sigmoid(bias + lexicalSlope·zLex) without vectors, and
   * sigmoid(fusedBias + fusedLexicalSlope·zLex + cosineSlope·zCos) with them.
   */
  bias: number;
  lexicalSlope: number;
  fusedBias: number;
  fusedLexicalSlope: number;
  cosineSlope: number;
}

export const DEFAULT_PARAMS: ScoringParams = {
  titleWeight: 2.5,
  aiKeywordWeight: 1.5,
  aiSummaryWeight: 0.5,
  nameWeight: 3,
  keywordWeight: 2,
  descriptionWeight: 1,
  exampleWeight: 0.5,
  phraseWeight: 2,
  phraseBonus: 0.05,
  k1: 1.2,
  b: 0.75,
  bias: -4,
  lexicalSlope: 1,
  fusedBias: -5,
  fusedLexicalSlope: 1,
  cosineSlope: 0.75,
};

/** Topic words more common than this (IDF below it, df above ~30% of papers) are not named in why-lines. */
const MIN_EVIDENCE_IDF = 1.2;
/** Description words must be rarer (df below ~5% of papers) to be named. */
const MIN_DESCRIPTION_IDF = 3;
/** Words too general to explain a match on their own, whatever the topic. */
const GENERIC_WORDS = new Set(
  "use used model models task tasks data learning learn performance result results training train framework system systems act"
    .split(" ")
    .map((w) => stem(w)),
);

/** A keyword (or a piece of the topic's name) as the reader wrote it, with the terms that must all match. */
export interface KeyPhrase {
  text: string;
  /** The phrase's two-word terms, or its single stem for a one-word phrase. */
  needs: string[];
}

/** A topic compiled once per classifier: weighted query, phrases for evidence, excludes, vector. */
export interface CompiledTopic {
  topic: TopicConfig;
  /** term → query weight × IDF. */
  query: Map<string, number>;
  /** The ids of everything scoring looks up in a paper, in `index`: the query (map order), phrases, excludes. */
  index: TermIndex;
  queryIds: Int32Array;
  queryValues: Float64Array;
  phraseIds: Int32Array[];
  excludeIds: Int32Array[];
  /** For evidence: each phrase's single stems, and the query terms with a surface word, strongest first. */
  phraseStems: string[][];
  evidenceTerms: Array<{ term: string; id: number }>;
  /** Sum of the query's values (a paper saturating every term would score 1). */
  norm: number;
  /** Expected lexical score of a random background paper, and its spread (terms taken as independent). */
  backgroundMean: number;
  backgroundSd: number;
  phrases: KeyPhrase[];
  excludes: KeyPhrase[];
  /** A word of the topic's own text for each single stem, for explanations. */
  surface: Map<string, string>;
  vector: Float32Array | null;
  /** Mean and spread of the cosine of a random background paper with this topic. */
  cosineMean: number;
  cosineSd: number;
}

/** A paper's terms, computed once and scored against every topic. */
export interface PaperTerms {
  /** The words of each field and its weight, in order: title, abstract, HF keywords, HF summary. */
  fields: WeightedWords[];
  /** Field-weighted counts of the terms of the index the paper was read for. */
  counts: IndexedCounts;
  /** BM25 length factor: 1 − b + b·length/avgLength. */
  lengthFactor: number;
  vector: Float32Array | null;
}

/** A field of a paper: its words, and the weight of one occurrence. */
export interface WeightedWords {
  words: string[];
  weight: number;
}

/**
 * A paper's counts of the terms of a TermIndex, by id, and the list of the ids it has: the arrays are
 * index-sized (thousands of terms for a classifier), a paper has a few hundred of them, so scoring by
 * postings and clearing for the next paper (see PaperReader.readReusing) walk only that list.
 */
export class IndexedCounts {
  /** Field-weighted count of each term; NaN when the paper does not have it. */
  readonly tf: Float64Array;
  /** 1 for each term of the title. */
  readonly title: Uint8Array;
  /** The ids with a count, first counted first: present[0 .. presentCount). */
  readonly present: Int32Array;
  presentCount = 0;

  constructor(readonly index: TermIndex) {
    const size = index.size;
    this.tf = new Float64Array(size).fill(Number.NaN);
    this.title = new Uint8Array(size);
    this.present = new Int32Array(size);
  }

  /** Counts one occurrence of term `id` with this weight (the first one sets the count: NaN is absent). */
  add(id: number, weight: number, inTitle: boolean): void {
    const f = this.tf[id] as number;
    if (Number.isNaN(f)) {
      this.tf[id] = weight;
      this.present[this.presentCount++] = id;
    } else {
      this.tf[id] = f + weight;
    }
    if (inTitle) this.title[id] = 1;
  }

  /** Back to no terms, touching only the ids counted. */
  clear(): void {
    const { tf, title, present } = this;
    for (let i = 0; i < this.presentCount; i++) {
      const id = present[i] as number;
      tf[id] = Number.NaN;
      title[id] = 0;
    }
    this.presentCount = 0;
  }
}

/** Splits a topic name into reader phrases: "Curriculum learning and sample difficulty" → two phrases. */
export function namePhrases(name: string): string[] {
  return name
    .split(/\s*(?:[,;:/()&+]|\band\b|\bor\b|\bfor\b|\bin\b|\bof\b|\bwith\b|\bvs\.?)\s*/i)
    .map((s) => s.trim())
    .filter((s) => words(s).some((w) => !STOP_WORDS.has(w)));
}

/**
 * The topic words worth naming in a why-line, by stem, in the reader's spelling ("LLM", "GRPO"; a
 * sentence-initial capital is dropped). Only specific words: IDF ≥ MIN_EVIDENCE_IDF for the name and
 * keywords, ≥ MIN_DESCRIPTION_IDF for the description's plainer prose; never a piece of a hyphenated
 * word ("multi" of "multi-agent"), never a generic word.
 */
function evidenceWords(topic: TopicConfig, bg: Background): Map<string, string> {
  const surface = new Map<string, string>();
  const sources: Array<[string, number]> = [
    [topic.name, MIN_EVIDENCE_IDF],
    ...topic.keywords.map((k): [string, number] => [k, MIN_EVIDENCE_IDF]),
    [topic.description, MIN_DESCRIPTION_IDF],
  ];
  for (const [text, minIdf] of sources) {
    for (const word of text.match(/[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*/g) ?? []) {
      if (word.includes("-")) continue;
      const [tok] = tokenize(word);
      if (!tok || tok.stem === "" || surface.has(tok.stem) || GENERIC_WORDS.has(tok.stem)) continue;
      if (idf(bg, tok.stem) < minIdf) continue;
      surface.set(tok.stem, readerCase(word));
    }
  }
  return surface;
}

/** Lower-cases words that are only capitalized ("Image and video" → "image and video"; "LLM", "B-Rep" stay). */
export function readerCase(text: string): string {
  return text.replace(/[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*/g, (w) =>
    /[A-Z]/.test(w.slice(1)) ? w : w.toLowerCase(),
  );
}

/** The terms a phrase needs: its consecutive-stem pairs, or its one stem. */
export function keyPhrase(text: string): KeyPhrase {
  const ts = terms(text);
  const pairs = ts.filter((t) => t.includes(" "));
  return { text, needs: pairs.length > 0 ? pairs : ts };
}

/** True when every term the phrase needs is among the paper's terms. */
export function phraseMatches(phrase: KeyPhrase, has: (term: string) => boolean): boolean {
  return phrase.needs.length > 0 && phrase.needs.every(has);
}

function addText(query: Map<string, number>, text: string, weight: number, phraseWeight: number): void {
  for (const t of new Set(terms(text))) {
    query.set(t, (query.get(t) ?? 0) + weight * (t.includes(" ") ? phraseWeight : 1));
  }
}

/** Compiles a topic into its weighted query against the background. */
export function compileTopic(
  topic: TopicConfig,
  bg: Background,
  vectors: WordVectors | null,
  p: ScoringParams = DEFAULT_PARAMS,
  index: TermIndex = new TermIndex(),
): CompiledTopic {
  const weights = new Map<string, number>();
  addText(weights, topic.name, p.nameWeight, p.phraseWeight);
  addText(weights, topic.description, p.descriptionWeight, p.phraseWeight);
  for (const k of topic.keywords) addText(weights, k, p.keywordWeight, p.phraseWeight);
  // Example titles (not bare arXiv ids) widen the query like relevance feedback.
  for (const e of topic.examples)
    if (!/^\d{4}\.\d{4,5}(v\d+)?$/.test(e.trim())) addText(weights, e, p.exampleWeight, p.phraseWeight);
  const topicText = [topic.name, topic.description, ...topic.keywords].join(". ");
  const vector = vectors ? textVector(vectors, topicText) : null;
  const query = new Map<string, number>();
  let norm = 0;
  for (const [t, w] of weights) {
    const v = w * idf(bg, t);
    query.set(t, v);
    norm += v;
  }
  // A random paper contains term t with probability df/N and then saturates it about halfway.
  let mean = 0;
  let variance = 0;
  for (const [t, v] of query) {
    const pt = Math.min(1, (bg.df.get(t) ?? 1) / bg.docs);
    const w = v / (norm > 0 ? norm : 1);
    mean += w * pt * 0.5;
    variance += w * w * pt * (0.3 - 0.25 * pt);
  }
  const surface = evidenceWords(topic, bg);
  const phrases = [...topic.keywords, ...namePhrases(topic.name).map(readerCase)].map(keyPhrase);
  const seen = new Set<string>();
  const uniquePhrases = phrases.filter((ph) => {
    const key = ph.needs.join("|");
    if (ph.needs.length === 0 || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const cos = vectors && vector ? cosineBackground(vectors, vector) : { mean: 0, sd: 1 };
  const excludes = topic.exclude.map(keyPhrase);
  const ids = (ts: Iterable<string>) => Int32Array.from(ts, (t) => index.add(t));
  return {
    topic,
    query,
    index,
    queryIds: ids(query.keys()),
    queryValues: Float64Array.from(query.values()),
    phraseIds: uniquePhrases.map((ph) => ids(ph.needs)),
    excludeIds: excludes.map((ph) => ids(ph.needs)),
    phraseStems: uniquePhrases.map((ph) => terms(ph.text).filter((t) => !t.includes(" "))),
    // A stable sort: equally strong terms stay in query order.
    evidenceTerms: [...query.entries()]
      .filter(([t]) => surface.has(t))
      .sort((a, b) => b[1] - a[1])
      .map(([term]) => ({ term, id: index.add(term) })),
    norm: norm > 0 ? norm : 1,
    backgroundMean: mean,
    backgroundSd: Math.max(Math.sqrt(variance), 1e-3),
    phrases: uniquePhrases,
    excludes,
    surface,
    vector,
    cosineMean: cos.mean,
    cosineSd: cos.sd,
  };
}

/** Computes a paper's field-weighted terms (title, abstract, and HF keywords/summary when present). */
export function paperTerms(
  paper: Paper,
  bg: Background,
  vectors: WordVectors | null,
  p: ScoringParams = DEFAULT_PARAMS,
): PaperTerms {
  // Counted for no topic's terms yet: each topic counts the paper for its own (see countsIn).
  return new PaperReader(new TermIndex(), vectors).read(paper, bg, p);
}

/** What a word stands for to a PaperReader. */
interface ReadWord {
  /** Its stem; "" for a stop word or a lone digit. */
  stem: string;
  /** The stem's term id, or -1. */
  id: number;
  /** Ids of the phrases starting with this stem, by second stem. */
  phrases: ReadonlyMap<string, number> | undefined;
  /** Its row in the word vectors, or -1. */
  row: number;
}

/**
 * Reads papers for one TermIndex (a classifier's topics) and one vector model, looking each word up
 * once for its stem, term id, the phrases it may start and its vector row. Counts equal termCounts' for
 * the index's terms, without making a paper's other terms (most of them, each phrase a new string).
 */
export class PaperReader {
  private known = new WordTable<ReadWord>();
  private knownSize: number;
  /** readReusing's counts, cleared for each paper. */
  private reused: IndexedCounts | null = null;

  constructor(
    readonly index: TermIndex,
    private readonly vectors: WordVectors | null = null,
  ) {
    this.knownSize = index.size;
  }

  /** The paper's terms: counts of the index's terms, BM25 length factor, and vector. */
  read(paper: Paper, bg: Background, p: ScoringParams = DEFAULT_PARAMS): PaperTerms {
    return this.readInto(paper, bg, p, this.emptyCounts());
  }

  /**
   * read(), with the counts in this reader's one buffer, cleared for each paper: no index-sized arrays
   * per paper (they were most of tag's garbage). Dangerous: the terms are valid only until the next
   * readReusing call, so a caller must be done with a paper (scores, evidence) before reading the next
   * and must keep nothing of its counts.
   */
  readReusing(paper: Paper, bg: Background, p: ScoringParams = DEFAULT_PARAMS): PaperTerms {
    this.forgetIfIndexGrew();
    if (this.reused?.tf.length === this.index.size) this.reused.clear();
    else this.reused = new IndexedCounts(this.index);
    return this.readInto(paper, bg, p, this.reused);
  }

  private readInto(paper: Paper, bg: Background, p: ScoringParams, counts: IndexedCounts): PaperTerms {
    // The vector is of words(`${title}. ${abstract}`): the title's words, then the abstract's.
    const rows: number[] = [];
    const length =
      this.countText(paper.title, p.titleWeight, counts, true, rows) +
      this.countText(paper.abstract, 1, counts, false, rows);
    for (const k of paper.aiKeywords ?? []) this.countText(k, p.aiKeywordWeight, counts, false, null);
    if (paper.aiSummary) this.countText(paper.aiSummary, p.aiSummaryWeight, counts, false, null);
    let fields: WeightedWords[] | undefined;
    return {
      // Made when asked for: only counting for another index (countsIn) needs the words themselves.
      get fields() {
        fields ??= paperFields(paper, p);
        return fields;
      },
      counts,
      lengthFactor: 1 - p.b + (p.b * length) / bg.avgLength,
      vector: this.vectors ? rowsVector(this.vectors, rows) : null,
    };
  }

  /** Counts of the index's terms in these fields (the first one is the title). */
  countFields(fields: readonly WeightedWords[]): IndexedCounts {
    const counts = this.emptyCounts();
    // A field's words joined by spaces read back as the same words.
    fields.forEach((field, i) => {
      this.countText(field.words.join(" "), field.weight, counts, i === 0, null);
    });
    return counts;
  }

  /** Empty counts, for a paper about to be counted. */
  private emptyCounts(): IndexedCounts {
    this.forgetIfIndexGrew();
    return new IndexedCounts(this.index);
  }

  /** Topics compiled into the index after words were looked up: look them up again. */
  private forgetIfIndexGrew(): void {
    if (this.knownSize !== this.index.size) {
      this.known = new WordTable();
      this.knownSize = this.index.size;
    }
  }

  /**
   * Adds `weight` for each of the index's terms among terms(text), in that order; marks them as title
   * terms when `inTitle`; collects the words' vector rows into `rows`. Returns how many terms
   * terms(text) has in all (for the BM25 length). Reads words(text) in place: each run of [a-z0-9] of
   * the lower-cased text, hashed as it is scanned (see WordTable).
   */
  private countText(
    text: string,
    weight: number,
    counts: IndexedCounts,
    inTitle: boolean,
    rows: number[] | null,
  ): number {
    const lower = text.toLowerCase();
    const n = lower.length;
    let stems = 0;
    let prev: ReadWord | undefined;
    let start = -1;
    let hash = WORD_HASH_SEED;
    // One pass over the characters, i = n included: a word ends at the first non-word code (or the end).
    for (let i = 0; i <= n; i++) {
      const code = i < n ? lower.charCodeAt(i) : END_OF_TEXT;
      if (isWordCode(code)) {
        if (start < 0) {
          start = i;
          hash = WORD_HASH_SEED;
        }
        hash = wordHashStep(hash, code);
        continue;
      }
      if (start < 0) continue;
      const current = this.lookUp(lower, start, i, hash);
      start = -1;
      if (rows !== null && current.row >= 0) rows.push(current.row);
      if (current.stem === "") continue;
      stems++;
      this.countTerms(current, prev, weight, counts, inTitle);
      prev = current;
    }
    return lengthOf(stems);
  }

  /** Counts a content word's stem, and the phrase it ends after `prev` (the content word before it). */
  private countTerms(
    current: ReadWord,
    prev: ReadWord | undefined,
    weight: number,
    counts: IndexedCounts,
    inTitle: boolean,
  ): void {
    if (current.id >= 0) counts.add(current.id, weight, inTitle);
    const phrase = prev?.phrases?.get(current.stem);
    if (phrase !== undefined) counts.add(phrase, weight, inTitle);
  }

  /** What the word text[start .. end) stands for; `hash` is its wordHash. */
  private lookUp(text: string, start: number, end: number, hash: number): ReadWord {
    let known = this.known.get(text, start, end, hash);
    if (known === undefined) {
      const word = start === 0 && end === text.length ? text : text.slice(start, end);
      known = this.readWord(word);
      if (this.known.size < MAX_KNOWN_WORDS) this.known.add(word, hash, known);
    }
    return known;
  }

  /** Looks a word up (once per reader: see lookUp); a stop word gets stem "", so no term or phrase. */
  private readWord(word: string): ReadWord {
    const s = termOf(word);
    return {
      stem: s,
      id: this.index.stemId(s),
      phrases: this.index.phrasesAfter(s),
      row: this.vectors?.index.get(word) ?? -1,
    };
  }
}

/** A code that is no word character, for the end of a text. */
const END_OF_TEXT = 0;

/** Words a reader remembers at most (a bound on memory; words beyond it are read again each time). */
const MAX_KNOWN_WORDS = 200_000;

/** The number of terms of a text with this many content stems: each stem, and each consecutive pair. */
function lengthOf(stems: number): number {
  return stems > 0 ? 2 * stems - 1 : 0;
}

/** A paper's fields as words, with their weights: title, abstract, HF keywords, HF summary. */
function paperFields(paper: Paper, p: ScoringParams): WeightedWords[] {
  return [
    { words: words(paper.title), weight: p.titleWeight },
    { words: words(paper.abstract), weight: 1 },
    ...(paper.aiKeywords ?? []).map((k) => ({ words: words(k), weight: p.aiKeywordWeight })),
    ...(paper.aiSummary ? [{ words: words(paper.aiSummary), weight: p.aiSummaryWeight }] : []),
  ];
}

/** The paper's counts of the topic's terms: as read when read for the topic's index, else counted now. */
function countsIn(topic: CompiledTopic, doc: PaperTerms): IndexedCounts {
  const { counts } = doc;
  if (counts.index === topic.index && counts.tf.length === topic.index.size) return counts;
  return new PaperReader(topic.index).countFields(doc.fields);
}

/** The lexical score: BM25F-saturated coverage of the topic's weighted query, in [0, 1). */
export function lexicalScore(
  topic: CompiledTopic,
  doc: PaperTerms,
  p: ScoringParams = DEFAULT_PARAMS,
): number {
  const { tf } = countsIn(topic, doc);
  const { queryIds, queryValues } = topic;
  let s = 0;
  const k = p.k1 * doc.lengthFactor;
  for (let i = 0; i < queryIds.length; i++) {
    const f = tf[queryIds[i] as number] as number;
    if (!Number.isNaN(f)) s += saturated(queryValues[i] as number, f, k);
  }
  return lexicalFromSum(topic, s, phrasesFound(topic, tf), p);
}

/**
 * The lexical score from the sum of the query terms' saturated counts and the number of key phrases
 * found: normalized, plus the phrase bonus. One function for lexicalScore and the postings scorer
 * (postings.ts), so both round alike.
 */
export function lexicalFromSum(
  topic: CompiledTopic,
  sum: number,
  found: number,
  p: ScoringParams = DEFAULT_PARAMS,
): number {
  let bonus = 0;
  if (p.phraseBonus > 0 && topic.phraseIds.length > 0)
    bonus = (p.phraseBonus * found) / topic.phraseIds.length;
  return sum / topic.norm + bonus;
}

/** How many of the topic's key phrases the paper has (every term of the phrase present). */
export function phrasesFound(topic: CompiledTopic, tf: Float64Array): number {
  let found = 0;
  for (const needs of topic.phraseIds) if (allPresent(needs, tf)) found++;
  return found;
}

/** One query term's share of the lexical sum: its query value, BM25-saturated by the paper's count. */
export function saturated(value: number, f: number, k: number): number {
  return (value * f) / (f + k);
}

/** phraseMatches on ids: every term present (counted; NaN is absent), and at least one term. */
function allPresent(needs: Int32Array, counts: Float64Array): boolean {
  if (needs.length === 0) return false;
  for (let i = 0; i < needs.length; i++) if (Number.isNaN(counts[needs[i] as number])) return false;
  return true;
}

/** The same for the title: every term of the phrase in the title. */
function allInTitle(needs: Int32Array, title: Uint8Array): boolean {
  if (needs.length === 0) return false;
  for (let i = 0; i < needs.length; i++) if (title[needs[i] as number] !== 1) return false;
  return true;
}

/** Cosine similarity of the topic's and the paper's vectors (0 when either has none). */
export function semanticScore(topic: CompiledTopic, doc: PaperTerms): number {
  return topic.vector && doc.vector ? dot(topic.vector, doc.vector) : 0;
}

/** True when the paper mentions any of the topic's exclude phrases. */
export function isExcluded(topic: CompiledTopic, doc: PaperTerms): boolean {
  if (topic.excludeIds.length === 0) return false;
  const { tf } = countsIn(topic, doc);
  return topic.excludeIds.some((needs) => allPresent(needs, tf));
}

/** How far above a random background paper's lexical score this one is, in background spreads. */
export function lexicalZ(topic: CompiledTopic, lexical: number): number {
  return (lexical - topic.backgroundMean) / topic.backgroundSd;
}

/** Maps the raw scores to the calibrated [0, 1] score. */
export function calibrate(
  topic: CompiledTopic,
  lexical: number,
  cosine: number,
  hasVectors: boolean,
  p: ScoringParams = DEFAULT_PARAMS,
): number {
  const zLex = lexicalZ(topic, lexical);
  const x = hasVectors
    ? p.fusedBias +
      p.fusedLexicalSlope * zLex +
      p.cosineSlope * ((cosine - topic.cosineMean) / topic.cosineSd)
    : p.bias + p.lexicalSlope * zLex;
  return 1 / (1 + Math.exp(-x));
}

/** What matched: keyword phrases in the title, keyword phrases anywhere, other strong topic words. */
export function evidenceFor(topic: CompiledTopic, doc: PaperTerms, maxTerms = 3): Evidence {
  const { tf, title: inTitle } = countsIn(topic, doc);
  const title: string[] = [];
  const keywords: string[] = [];
  const covered = new Set<string>();
  topic.phrases.forEach((ph, i) => {
    const needs = topic.phraseIds[i] as Int32Array;
    if (allInTitle(needs, inTitle)) title.push(ph.text);
    if (allPresent(needs, tf)) {
      keywords.push(ph.text);
      for (const s of topic.phraseStems[i] ?? []) covered.add(s);
    }
  });
  const strong = topic.evidenceTerms
    .filter(({ term, id }) => !covered.has(term) && !Number.isNaN(tf[id]))
    .slice(0, maxTerms)
    .map(({ term }) => topic.surface.get(term) ?? term);
  return { title, keywords, terms: strong };
}
