/** Personalize: per subscriber, only papers on their topics, above the threshold, at most maxPapers, best first. */
import type { SubscriberConfig, TopicConfig } from "../config/schema.js";
import type { Paper } from "../domain/paper.js";
import type { Digest, TaggedPaper, TopicMatch } from "../domain/tagging.js";

export interface PersonalizeOptions {
  date: string;
  /** Calibrated score a paper needs (the subscriber's minScore wins when set). */
  threshold: number;
  /**
   * Why-line for one match (the classifier's explainMatch). Must be pure: a line is built once per
   * match and topic, then reused for every reader who gets that paper.
   */
  explain: (match: TopicMatch, topic: TopicConfig) => string;
  /** Paper ids this subscriber already received on earlier days (never sent twice). */
  alreadySent?: ReadonlySet<string>;
}

/**
 * One subscriber's digest. Pure: the same inputs give the same digest.
 *
 * 10,000 readers share one day, so what depends only on the day is built on first use and reused: per
 * tagged list a relevance index, per topics list a lookup, per match its why-line. Dangerous spot:
 * the tagged list, its matches and the topics must not change after they were first personalized against.
 */
export function personalize(
  tagged: readonly TaggedPaper[],
  subscriber: SubscriberConfig,
  topics: readonly TopicConfig[],
  options: PersonalizeOptions,
): Digest {
  const reader: Reader = {
    wanted: new Set(subscriber.topics),
    threshold: subscriber.minScore ?? options.threshold,
    topicById: topicsById(topics),
    alreadySent: options.alreadySent,
  };
  const index = indexOf(tagged);
  // The merge stops at maxPapers; a negative cap (slice counts it from the end) needs every paper.
  const limit = subscriber.maxPapers >= 0 ? subscriber.maxPapers : Number.POSITIVE_INFINITY;
  const picks = index === "scan" ? pickByScan(tagged, reader) : pickByMerge(index, reader, limit);
  return {
    date: options.date,
    subscriber: {
      email: subscriber.email,
      ...(subscriber.name ? { name: subscriber.name } : {}),
      topics: subscriber.topics,
    },
    // Why-lines are built only for the papers kept: a reader's candidates can be hundreds, the digest ten.
    items: picks.slice(0, subscriber.maxPapers).map(({ paper, score, mine, topic }) => ({
      paper,
      score,
      topics: mine.map((m) => m.topicId),
      why: whyLine(mine, topic, reader.topicById, options.explain),
    })),
  };
}

/** What one reader asked for, as the picking needs it. */
interface Reader {
  wanted: ReadonlySet<string>;
  threshold: number;
  topicById: ReadonlyMap<string, TopicConfig>;
  alreadySent: ReadonlySet<string> | undefined;
}

/** A paper picked for a reader, before its why-line is built. */
interface Choice {
  paper: Paper;
  /** Score of mine[0]. */
  score: number;
  /** The reader's matches of this paper at or above their threshold, in `matches` order. */
  mine: TopicMatch[];
  /** Topic of mine[0]. */
  topic: TopicConfig;
}

/** The reader's pick of one tagged paper; undefined without a match on their topics at their threshold. */
function pickOf({ paper, matches }: TaggedPaper, reader: Reader): Choice | undefined {
  const mine: TopicMatch[] = [];
  for (const m of matches) if (m.score >= reader.threshold && reader.wanted.has(m.topicId)) mine.push(m);
  const best = mine[0];
  if (!best) return undefined;
  const topic = reader.topicById.get(best.topicId);
  return topic ? { paper, score: best.score, mine, topic } : undefined;
}

/**
 * All the reader's papers, best first: a filter and sort of the whole list. Only for the lists the
 * merge cannot take (see buildIndex); of a repeated id, the first copy in list order that qualifies wins.
 */
function pickByScan(tagged: readonly TaggedPaper[], reader: Reader): Choice[] {
  const picks: Choice[] = [];
  const seen = new Set<string>();
  for (const entry of tagged) {
    if (seen.has(entry.paper.id) || reader.alreadySent?.has(entry.paper.id)) continue;
    const pick = pickOf(entry, reader);
    if (!pick) continue;
    seen.add(entry.paper.id);
    picks.push(pick);
  }
  // A stable sort: papers tied in byRelevance keep list order, as the merge's ranks do.
  return picks.sort(byRelevance);
}

/**
 * The reader's best `limit` papers, best first, the same as the scan's: a merge of the reader's topic
 * lists, each in relevance order, so a reader costs about maxPapers × their topics, not all their
 * candidates. Matches are best first, so a paper's first entry in the merge has its score for the
 * reader, mine[0]'s; its later entries (other topics of the reader) are passed over.
 */
function pickByMerge(index: RelevanceIndex, reader: Reader, limit: number): Choice[] {
  const lists: Entry[][] = [];
  for (const id of reader.wanted) {
    const list = index.get(id);
    if (list) lists.push(list);
  }
  const heads = new Uint32Array(lists.length);
  const picks: Choice[] = [];
  while (picks.length < limit) {
    let from = -1;
    let next: Entry | undefined;
    for (let i = 0; i < lists.length; i++) {
      // Bounds checked here, not by reading past the end: that read deoptimized the merge every run.
      const list = lists[i] as Entry[];
      const at = heads[i] as number;
      if (at >= list.length) continue;
      const head = list[at] as Entry;
      // Lists are sorted by score: the first entry under the bar ends that list for this reader.
      if (!(head.score >= reader.threshold)) continue;
      if (!next || head.score > next.score || (head.score === next.score && head.rank < next.rank)) {
        next = head;
        from = i;
      }
    }
    if (!next) break;
    heads[from] = (heads[from] as number) + 1;
    const { paper } = next.tagged;
    if (reader.alreadySent?.has(paper.id) || picked(picks, paper)) continue;
    const pick = pickOf(next.tagged, reader);
    if (pick) picks.push(pick);
  }
  return picks;
}

/** True when `paper` is among the picks (a loop: this runs for every candidate of every reader). */
function picked(picks: readonly Choice[], paper: Paper): boolean {
  for (const pick of picks) if (pick.paper === paper) return true;
  return false;
}

/** One paper in one topic's list. */
interface Entry {
  tagged: TaggedPaper;
  /** The paper's score for that topic. */
  score: number;
  /** Place of the paper in the tie-break order of byRelevance (upvotes, id), then of list position. */
  rank: number;
}

/** Per topic id, the papers that matched it, sorted as byRelevance sorts by that topic's score. */
type RelevanceIndex = ReadonlyMap<string, Entry[]>;

const indexes = new WeakMap<readonly TaggedPaper[], RelevanceIndex | "scan">();

/** The list's index, built on its first reader. */
function indexOf(tagged: readonly TaggedPaper[]): RelevanceIndex | "scan" {
  let index = indexes.get(tagged);
  if (!index) {
    index = buildIndex(tagged);
    indexes.set(tagged, index);
  }
  return index;
}

/**
 * The relevance index of a tagged list, or "scan" where a merge would not give the scan's digest: an id
 * listed twice (the scan keeps the first copy that qualifies), matches not best first, or a score or
 * upvote count that is not a finite number (byRelevance is then no total order). The pipeline gives
 * none of these: mergePapers keeps one Paper per id, and the classifier tags each paper once, with
 * scores in [0, 1] sorted best first.
 */
function buildIndex(tagged: readonly TaggedPaper[]): RelevanceIndex | "scan" {
  const ids = new Set<string>();
  for (const { paper, matches } of tagged) {
    if (ids.has(paper.id) || !Number.isFinite(paper.upvotes ?? 0)) return "scan";
    ids.add(paper.id);
    let previous = Number.POSITIVE_INFINITY;
    for (const { score } of matches) {
      if (!Number.isFinite(score) || score > previous) return "scan";
      previous = score;
    }
  }
  // Equal scores are ordered as byRelevance orders them, then by list position as the scan's stable
  // sort does; one rank per paper makes that a single comparison in the merge.
  const ranks = new Map<TaggedPaper, number>();
  tagged
    .map((entry, position) => ({ entry, position }))
    .sort((a, b) => byPaper(a.entry.paper, b.entry.paper) || a.position - b.position)
    .forEach(({ entry }, rank) => {
      ranks.set(entry, rank);
    });
  const index = new Map<string, Entry[]>();
  for (const entry of tagged) {
    for (const { topicId, score } of entry.matches) {
      const list = index.get(topicId) ?? [];
      list.push({ tagged: entry, score, rank: ranks.get(entry) ?? 0 });
      index.set(topicId, list);
    }
  }
  for (const list of index.values()) list.sort((a, b) => b.score - a.score || a.rank - b.rank);
  return index;
}

const lookups = new WeakMap<readonly TopicConfig[], ReadonlyMap<string, TopicConfig>>();

/** Topics by id (the last one of a repeated id), built once per topics list instead of once per reader. */
function topicsById(topics: readonly TopicConfig[]): ReadonlyMap<string, TopicConfig> {
  let byId = lookups.get(topics);
  if (!byId) {
    byId = new Map(topics.map((t) => [t.id, t]));
    lookups.set(topics, byId);
  }
  return byId;
}

/** The why-line of a pick: the line of its best match, then the reader's other topics it matched. */
function whyLine(
  mine: readonly TopicMatch[],
  topic: TopicConfig,
  topicById: ReadonlyMap<string, TopicConfig>,
  explain: PersonalizeOptions["explain"],
): string {
  const why = explained(mine[0] as TopicMatch, topic, explain);
  let also = "";
  for (const m of mine.slice(1)) {
    const name = topicById.get(m.topicId)?.name;
    if (name) also = also ? `${also}, ${name}` : name;
  }
  if (!also) return why.line;
  why.lead ??= why.line.replace(/[.;,\s]+$/, "");
  return `${why.lead}. Also on ${also}.`;
}

/** One match's line, and the same without its closing punctuation once an "Also on" needed it. */
interface Why {
  topic: TopicConfig;
  line: string;
  lead?: string;
}

const lines = new WeakMap<PersonalizeOptions["explain"], WeakMap<TopicMatch, Why>>();

/** The why-line of a match, built on the first reader who gets it. */
function explained(match: TopicMatch, topic: TopicConfig, explain: PersonalizeOptions["explain"]): Why {
  let byMatch = lines.get(explain);
  if (!byMatch) {
    byMatch = new WeakMap();
    lines.set(explain, byMatch);
  }
  let why = byMatch.get(match);
  if (why?.topic !== topic) {
    why = { topic, line: explain(match, topic) };
    byMatch.set(match, why);
  }
  return why;
}

/** Best score first; ties by HF upvotes, then id, so the order is deterministic. */
function byRelevance(a: Choice, b: Choice): number {
  return b.score - a.score || byPaper(a.paper, b.paper);
}

/** The tie-break of byRelevance. */
function byPaper(a: Paper, b: Paper): number {
  return (b.upvotes ?? 0) - (a.upvotes ?? 0) || a.id.localeCompare(b.id);
}
