/**
 * Lexical scores of one paper for every topic of a classifier at once, by postings: a paper has only a
 * few of the terms the topics look up, and most topics none of their query's, so walking the paper's
 * terms beats walking every topic's query (lexicalScore). Dangerous spot: a topic's sum must add
 * the same terms in the same order as lexicalScore (query order; absent terms add nothing there), so that
 * every score stays bit for bit — hence the sort of each topic's hit positions before summing.
 */
import {
  type CompiledTopic,
  DEFAULT_PARAMS,
  type IndexedCounts,
  lexicalFromSum,
  phrasesFound,
  type ScoringParams,
  saturated,
} from "./score.js";
import type { TermIndex } from "./tokenize.js";

/** The position of a posting that is no query term, only a term some key phrase of the topic needs. */
const PHRASE_TERM = -1;

/**
 * For each term id, the topics that look it up and where: its position in the topic's query, or
 * PHRASE_TERM. The lists of all ids sit in one flat table.
 */
export class QueryPostings {
  private readonly postings: PostingTable;
  /** Per paper: each topic's hit positions, topic t's in hits[hitStart[t] .. hitStart[t] + hitCount[t]). */
  private readonly hitStart: Int32Array;
  private readonly hitCount: Int32Array;
  private readonly hits: Int32Array;
  /** Per paper: 1 for each topic with a term of its key phrases (only those can have a phrase found). */
  private readonly phraseHit: Uint8Array;

  /** Topics compiled into `index` (their term ids are its ids); the index must not grow afterwards. */
  constructor(
    private readonly topics: readonly CompiledTopic[],
    index: TermIndex,
  ) {
    this.postings = invert(topics.map(postingsOf), index.size);
    this.hitStart = new Int32Array(topics.length);
    let offset = 0;
    topics.forEach((topic, t) => {
      this.hitStart[t] = offset;
      offset += topic.queryIds.length;
    });
    this.hitCount = new Int32Array(topics.length);
    this.hits = new Int32Array(offset);
    this.phraseHit = new Uint8Array(topics.length);
  }

  /**
   * lexicalScore(topics[t], doc) for every topic t, into out[t]: the same sums, of the same terms in the
   * same order, and the same phrases found. `counts` must be of the index the topics were compiled into.
   */
  lexicalScores(
    counts: IndexedCounts,
    lengthFactor: number,
    out: Float64Array,
    p: ScoringParams = DEFAULT_PARAMS,
  ): Float64Array {
    this.collectHits(counts);
    const { tf } = counts;
    const k = p.k1 * lengthFactor;
    this.topics.forEach((topic, t) => {
      const sum = this.hitCount[t] === 0 ? 0 : this.sumHits(t, tf, k);
      const found = this.phraseHit[t] === 0 ? 0 : phrasesFound(topic, tf);
      out[t] = lexicalFromSum(topic, sum, found, p);
    });
    return out;
  }

  /** Files the paper's terms under the topics that look them up. */
  private collectHits(counts: IndexedCounts): void {
    const { start, topic: postingTopic, position: postingPosition } = this.postings;
    const { hitStart, hitCount, hits, phraseHit } = this;
    hitCount.fill(0);
    phraseHit.fill(0);
    for (let i = 0; i < counts.presentCount; i++) {
      const id = counts.present[i] as number;
      for (let e = start[id] as number, end = start[id + 1] as number; e < end; e++) {
        const t = postingTopic[e] as number;
        const position = postingPosition[e] as number;
        if (position === PHRASE_TERM) {
          phraseHit[t] = 1;
        } else {
          const n = hitCount[t] as number;
          hits[(hitStart[t] as number) + n] = position;
          hitCount[t] = n + 1;
        }
      }
    }
  }

  /** Topic t's sum over its hits, in query order (sorted here: a handful of positions, insertion sort). */
  private sumHits(t: number, tf: Float64Array, k: number): number {
    const { hits } = this;
    const from = this.hitStart[t] as number;
    const to = from + (this.hitCount[t] as number);
    for (let i = from + 1; i < to; i++) {
      const x = hits[i] as number;
      let j = i - 1;
      for (; j >= from && (hits[j] as number) > x; j--) hits[j + 1] = hits[j] as number;
      hits[j + 1] = x;
    }
    const { queryIds, queryValues } = this.topics[t] as CompiledTopic;
    let s = 0;
    for (let i = from; i < to; i++) {
      const position = hits[i] as number;
      s += saturated(queryValues[position] as number, tf[queryIds[position] as number] as number, k);
    }
    return s;
  }
}

/** Postings by term id: those of term id are entries start[id] .. start[id + 1] of topic and position. */
interface PostingTable {
  start: Int32Array;
  topic: Int32Array;
  position: Int32Array;
}

/** The topics' postings by term id, in one flat table (counted, then filled in topic order). */
function invert(lists: ReadonlyArray<Array<[number, number]>>, size: number): PostingTable {
  const start = new Int32Array(size + 1);
  for (const list of lists) for (const [id] of list) start[id + 1] = (start[id + 1] as number) + 1;
  for (let id = 0; id < size; id++) start[id + 1] = (start[id + 1] as number) + (start[id] as number);
  const topic = new Int32Array(start[size] as number);
  const position = new Int32Array(topic.length);
  const next = start.slice(0, size);
  lists.forEach((list, t) => {
    for (const [id, at] of list) {
      const e = next[id] as number;
      next[id] = e + 1;
      topic[e] = t;
      position[e] = at;
    }
  });
  return { start, topic, position };
}

/** A topic's postings as [term id, position]: its query terms, then its key phrases' terms (once each). */
function postingsOf(topic: CompiledTopic): Array<[number, number]> {
  const query = Array.from(topic.queryIds, (id, position): [number, number] => [id, position]);
  const phraseTerms = new Set(topic.phraseIds.flatMap((needs) => [...needs]));
  return [...query, ...[...phraseTerms].map((id): [number, number] => [id, PHRASE_TERM])];
}
