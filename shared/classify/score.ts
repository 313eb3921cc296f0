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

/** A paper's counts of the terms of a TermIndex, by id. */
export interface IndexedCounts {
  index: TermIndex;
  /** Field-weighted count of each term; NaN when the paper does not have it. */
  tf: Float64Array;
  /** 1 for each term of the title. */
  title: Uint8Array;
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

/** A stop word without a vector: no stem (termOf gives ""), so no term, phrase or row. */
const STOP_WORD: ReadWord = { stem: "", id: -1, phrases: undefined, row: -1 };

/**
 * Reads papers for one TermIndex (a classifier's topics) and one vector model, looking each word up
 * once for its stem, term id, the phrases it may start and its vector row. Counts equal termCounts' for
 * the index's terms, without making a paper's other terms (most of them, each phrase a new string).
 */
export class PaperReader {
  private known = new Map<string, ReadWord>();
  private knownSize: number;
  /** Stop words without a vector (all of them, as the model is built): known without the big lookup. */
  private readonly stopWords: ReadonlySet<string>;

  constructor(
    readonly index: TermIndex,
    private readonly vectors: WordVectors | null = null,
  ) {
    this.knownSize = index.size;
    this.stopWords = new Set([...STOP_WORDS].filter((w) => !vectors?.index.has(w)));
  }

  /** The paper's terms: counts of the index's terms, BM25 length factor, and vector. */
  read(paper: Paper, bg: Background, p: ScoringParams = DEFAULT_PARAMS): PaperTerms {
    const title = words(paper.title);
    const abstract = words(paper.abstract);
    const fields = [
      { words: title, weight: p.titleWeight },
      { words: abstract, weight: 1 },
      ...(paper.aiKeywords ?? []).map((k) => ({ words: words(k), weight: p.aiKeywordWeight })),
      ...(paper.aiSummary ? [{ words: words(paper.aiSummary), weight: p.aiSummaryWeight }] : []),
    ];
    const counts = this.emptyCounts();
    // The vector is of words(`${title}. ${abstract}`): the title's words, then the abstract's.
    const rows: number[] = [];
    const length =
      this.count(title, p.titleWeight, counts, true, rows) + this.count(abstract, 1, counts, false, rows);
    for (const field of fields.slice(2)) this.count(field.words, field.weight, counts, false, null);
    return {
      fields,
      counts,
      lengthFactor: 1 - p.b + (p.b * length) / bg.avgLength,
      vector: this.vectors ? rowsVector(this.vectors, rows) : null,
    };
  }

  /** Counts of the index's terms in these fields (the first one is the title). */
  countFields(fields: readonly WeightedWords[]): IndexedCounts {
    const counts = this.emptyCounts();
    fields.forEach((field, i) => {
      this.count(field.words, field.weight, counts, i === 0, null);
    });
    return counts;
  }

  /** Empty counts, for a paper about to be counted. */
  private emptyCounts(): IndexedCounts {
    const size = this.index.size;
    // Topics compiled into the index after words were looked up: look them up again.
    if (this.knownSize !== size) {
      this.known = new Map();
      this.knownSize = size;
    }
    return { index: this.index, tf: new Float64Array(size).fill(Number.NaN), title: new Uint8Array(size) };
  }

  /**
   * Adds `weight` for each of the index's terms among terms(words), in that order; marks them as title
   * terms when `inTitle`; collects the words' vector rows into `rows`. Returns how many terms
   * terms(words) has in all (for the BM25 length).
   */
  private count(
    textWords: readonly string[],
    weight: number,
    counts: IndexedCounts,
    inTitle: boolean,
    rows: number[] | null,
  ): number {
    const { tf, title } = counts;
    let stems = 0;
    let prev: ReadWord | undefined;
    for (const word of textWords) {
      const current = this.word(word);
      if (rows !== null && current.row >= 0) rows.push(current.row);
      if (current.stem === "") continue;
      stems++;
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
    // Each stem, and each pair of consecutive stems.
    return stems > 0 ? 2 * stems - 1 : 0;
  }

  private word(word: string): ReadWord {
    // A third of a paper's words; a small set, where the big map of every word misses the CPU cache.
    if (this.stopWords.has(word)) return STOP_WORD;
    let known = this.known.get(word);
    if (known === undefined) {
      const s = termOf(word);
      known = {
        stem: s,
        id: this.index.stemId(s),
        phrases: this.index.phrasesAfter(s),
        row: this.vectors?.index.get(word) ?? -1,
      };
      if (this.known.size < 200_000) this.known.set(word, known);
    }
    return known;
  }
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
    if (!Number.isNaN(f)) s += ((queryValues[i] as number) * f) / (f + k);
  }
  let bonus = 0;
  if (p.phraseBonus > 0 && topic.phraseIds.length > 0) {
    let found = 0;
    for (const needs of topic.phraseIds) if (allPresent(needs, tf)) found++;
    bonus = (p.phraseBonus * found) / topic.phraseIds.length;
  }
  return s / topic.norm + bonus;
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
