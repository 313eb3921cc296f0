/** Personalize: per subscriber, only papers on their topics, above the threshold, at most maxPapers, best first. */
import type { SubscriberConfig, TopicConfig } from "../config/schema.js";
import type { Digest, DigestItem, TaggedPaper, TopicMatch } from "../domain/tagging.js";

export interface PersonalizeOptions {
  date: string;
  /** Calibrated score a paper needs (the subscriber's minScore wins when set). */
  threshold: number;
  /** Why-line for one match (the classifier's explainMatch). */
  explain: (match: TopicMatch, topic: TopicConfig) => string;
  /** Paper ids this subscriber already received on earlier days (never sent twice). */
  alreadySent?: ReadonlySet<string>;
}

/** One subscriber's digest. Pure: the same inputs give the same digest. */
export function personalize(
  tagged: readonly TaggedPaper[],
  subscriber: SubscriberConfig,
  topics: readonly TopicConfig[],
  options: PersonalizeOptions,
): Digest {
  const wanted = new Set(subscriber.topics);
  const topicById = new Map(topics.map((t) => [t.id, t]));
  const threshold = subscriber.minScore ?? options.threshold;
  // Why-lines are built only for the papers kept: a reader's candidates can be hundreds, the digest ten.
  const candidates: (DigestItem & { mine: TopicMatch[]; topic: TopicConfig })[] = [];
  const seen = new Set<string>();
  // Only the papers that matched one of the reader's topics, in list order (see positionsOf).
  for (const position of positionsOf(tagged, wanted)) {
    const { paper, matches } = tagged[position] as TaggedPaper;
    if (seen.has(paper.id) || options.alreadySent?.has(paper.id)) continue;
    const mine = matches.filter((m) => m.score >= threshold && wanted.has(m.topicId));
    const best = mine[0];
    if (!best) continue;
    const topic = topicById.get(best.topicId);
    if (!topic) continue;
    seen.add(paper.id);
    candidates.push({ paper, score: best.score, topics: [], why: "", mine, topic });
  }
  candidates.sort(byRelevance);
  return {
    date: options.date,
    subscriber: {
      email: subscriber.email,
      ...(subscriber.name ? { name: subscriber.name } : {}),
      topics: subscriber.topics,
    },
    items: candidates.slice(0, subscriber.maxPapers).map(({ paper, score, mine, topic }) => ({
      paper,
      score,
      topics: mine.map((m) => m.topicId),
      why: whyLine(mine[0] as TopicMatch, topic, mine.slice(1), topicById, options.explain),
    })),
  };
}

function whyLine(
  best: TopicMatch,
  topic: TopicConfig,
  others: TopicMatch[],
  topicById: Map<string, TopicConfig>,
  explain: PersonalizeOptions["explain"],
): string {
  const line = explain(best, topic);
  const also = others.map((m) => topicById.get(m.topicId)?.name).filter((n): n is string => Boolean(n));
  return also.length > 0 ? `${line.replace(/[.;,\s]+$/, "")}. Also on ${also.join(", ")}.` : line;
}

/** Best score first; ties by HF upvotes, then id, so the order is deterministic. */
function byRelevance(a: DigestItem, b: DigestItem): number {
  return (
    b.score - a.score ||
    (b.paper.upvotes ?? 0) - (a.paper.upvotes ?? 0) ||
    a.paper.id.localeCompare(b.paper.id)
  );
}

// Per tagged list, built on first use: for each topic the positions of the papers that matched it. A
// reader then visits only the papers of their topics instead of the whole day (2,000 papers × 10,000
// readers). Dangerous spot: the list must not change after it was first personalized against.
const positionsByTopic = new WeakMap<readonly TaggedPaper[], Map<string, number[]>>();

function positionsOf(tagged: readonly TaggedPaper[], wanted: ReadonlySet<string>): number[] {
  let index = positionsByTopic.get(tagged);
  if (!index) {
    index = new Map();
    tagged.forEach(({ matches }, position) => {
      for (const m of matches) {
        const list = index?.get(m.topicId) ?? [];
        if (list.at(-1) !== position) list.push(position);
        index?.set(m.topicId, list);
      }
    });
    positionsByTopic.set(tagged, index);
  }
  const lists = [...wanted].map((id) => index.get(id) ?? []);
  if (lists.length === 1) return lists[0] ?? [];
  return [...new Set(lists.flat())].sort((a, b) => a - b);
}
