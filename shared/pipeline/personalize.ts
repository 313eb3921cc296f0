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
  const candidates: DigestItem[] = [];
  const seen = new Set<string>();
  for (const { paper, matches } of tagged) {
    if (seen.has(paper.id) || options.alreadySent?.has(paper.id)) continue;
    const mine = matches.filter((m) => wanted.has(m.topicId) && m.score >= threshold);
    const best = mine[0];
    if (!best) continue;
    const topic = topicById.get(best.topicId);
    if (!topic) continue;
    seen.add(paper.id);
    candidates.push({
      paper,
      score: best.score,
      topics: mine.map((m) => m.topicId),
      why: whyLine(best, topic, mine.slice(1), topicById, options.explain),
    });
  }
  candidates.sort(byRelevance);
  return {
    date: options.date,
    subscriber: {
      email: subscriber.email,
      ...(subscriber.name ? { name: subscriber.name } : {}),
      topics: subscriber.topics,
    },
    items: candidates.slice(0, subscriber.maxPapers),
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
