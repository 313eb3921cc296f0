import { describe, expect, it } from "vitest";
import { seededRandom } from "../../bench/workload.js";
import { explainMatch } from "../../shared/classify/index.js";
import type { SubscriberConfig, TopicConfig } from "../../shared/config/schema.js";
import type { Paper } from "../../shared/domain/paper.js";
import type { Digest, DigestItem, TaggedPaper, TopicMatch } from "../../shared/domain/tagging.js";
import { type PersonalizeOptions, personalize } from "../../shared/pipeline/personalize.js";

/**
 * The reference: personalize as it was before the relevance index, a filter of the whole list, a sort
 * and a slice. The fast personalize must give the very same digests.
 */
function referencePersonalize(
  tagged: readonly TaggedPaper[],
  subscriber: SubscriberConfig,
  topics: readonly TopicConfig[],
  options: PersonalizeOptions,
): Digest {
  const wanted = new Set(subscriber.topics);
  const topicById = new Map(topics.map((t) => [t.id, t]));
  const threshold = subscriber.minScore ?? options.threshold;
  const candidates: (DigestItem & { mine: TopicMatch[]; topic: TopicConfig })[] = [];
  const seen = new Set<string>();
  for (const { paper, matches } of tagged) {
    if (seen.has(paper.id) || options.alreadySent?.has(paper.id)) continue;
    const mine = matches.filter((m) => m.score >= threshold && wanted.has(m.topicId));
    const best = mine[0];
    if (!best) continue;
    const topic = topicById.get(best.topicId);
    if (!topic) continue;
    seen.add(paper.id);
    candidates.push({ paper, score: best.score, topics: [], why: "", mine, topic });
  }
  candidates.sort(
    (a, b) =>
      b.score - a.score ||
      (b.paper.upvotes ?? 0) - (a.paper.upvotes ?? 0) ||
      a.paper.id.localeCompare(b.paper.id),
  );
  return {
    date: options.date,
    subscriber: {
      email: subscriber.email,
      ...(subscriber.name ? { name: subscriber.name } : {}),
      topics: subscriber.topics,
    },
    items: candidates.slice(0, subscriber.maxPapers).map(({ paper, score, mine, topic }) => {
      const line = options.explain(mine[0] as TopicMatch, topic);
      const also = mine
        .slice(1)
        .map((m) => topicById.get(m.topicId)?.name)
        .filter((n): n is string => Boolean(n));
      const why = also.length > 0 ? `${line.replace(/[.;,\s]+$/, "")}. Also on ${also.join(", ")}.` : line;
      return { paper, score, topics: mine.map((m) => m.topicId), why };
    }),
  };
}

type Random = () => number;

const pick = <T>(random: Random, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
const chance = (random: Random, p: number): boolean => random() < p;

const TOPIC_IDS = ["agents", "rl", "3d", "robots", "speech", "vision", "theory"];
const WORDS = [
  "tool use",
  "tool",
  "use",
  "planning",
  "task planning",
  "LLM agents",
  "reward",
  "mesh",
  "benchmark",
];
/** Few distinct scores and upvotes, so ties are common; ids whose order localeCompare decides. */
const SCORES = [0.2, 0.35, 0.5, 0.5, 0.65, 0.8, 0.95];
const THRESHOLDS = [0.2, 0.35, 0.5, 0.6, 0.9];

function randomTopics(random: Random, variant: string): TopicConfig[] {
  return TOPIC_IDS.map((id) => ({
    id,
    // Now and then an empty name: the "Also on" list leaves it out.
    name: chance(random, 0.05) ? "" : `${id} ${variant}`,
    description: "",
    keywords: [],
    exclude: [],
    examples: [],
  }));
}

function randomPaper(random: Random, id: string): Paper {
  return {
    id,
    title: `Paper ${id}`,
    abstract: "",
    authors: [],
    categories: [],
    links: {},
    sources: ["test"],
    ...(chance(random, 0.4) ? {} : { upvotes: pick(random, [0, 1, 1, 3, 12]) }),
  };
}

function randomMatches(random: Random, sorted: boolean): TopicMatch[] {
  const count = Math.floor(random() * 4);
  const matches = Array.from({ length: count }, () => ({
    // "ghost" is a topic no topics list has: a paper whose best match is on it is left out.
    topicId: chance(random, 0.05) ? "ghost" : pick(random, TOPIC_IDS),
    score: pick(random, SCORES),
    evidence: {
      title: Array.from({ length: Math.floor(random() * 3) }, () => pick(random, WORDS)),
      keywords: Array.from({ length: Math.floor(random() * 4) }, () => pick(random, WORDS)),
      terms: Array.from({ length: Math.floor(random() * 3) }, () => pick(random, WORDS)),
    },
  }));
  // As the classifier does (a stable sort, best first); unsorted lists take personalize's plain path.
  return sorted ? matches.sort((a, b) => b.score - a.score) : matches;
}

/** A day's tagged list; now and then one the pipeline never gives (a repeated id, matches not best first). */
function randomTagged(random: Random): TaggedPaper[] {
  const size = Math.floor(random() * 40);
  const irregular = chance(random, 0.25);
  const ids = [
    "2607.00001",
    "2607.00002",
    "2607.0001",
    "2607.1",
    "hep-ex/0307015",
    "url:Ab",
    "url:ab",
    "url:b",
  ];
  const tagged: TaggedPaper[] = [];
  for (let i = 0; i < size; i++) {
    const repeat = irregular && i > 0 && chance(random, 0.2);
    const id = repeat ? (tagged[Math.floor(random() * i)]?.paper.id ?? "x") : `${pick(random, ids)}-${i}`;
    tagged.push({
      paper: randomPaper(random, id),
      matches: randomMatches(random, !irregular || chance(random, 0.5)),
    });
  }
  return tagged;
}

function randomReader(random: Random, n: number): SubscriberConfig {
  const topics = TOPIC_IDS.filter(() => chance(random, 0.35));
  if (topics.length === 0 || chance(random, 0.1))
    topics.push(chance(random, 0.3) ? "ghost" : pick(random, TOPIC_IDS));
  return {
    email: `reader${n}@example.org`,
    ...(chance(random, 0.3) ? { name: `Reader ${n}` } : {}),
    topics,
    maxPapers: pick(random, [0, 1, 2, 3, 5, 10, 100]),
    ...(chance(random, 0.3) ? { minScore: pick(random, THRESHOLDS) } : {}),
  };
}

/** A why-line maker other than the classifier's, ending in punctuation the "Also on" form trims. */
const terseExplain = (m: TopicMatch, t: TopicConfig) => `${t.name}: ${m.evidence.keywords.join(", ")};  `;

const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);
const LISTS_PER_SEED = 25;
const READERS_PER_LIST = 10;

describe("personalize equals the plain filter, sort and slice", () => {
  it.each(SEEDS)("on random days, readers and histories (seed %i)", (seed) => {
    // Prepare
    const random = seededRandom(seed);
    for (let list = 0; list < LISTS_PER_SEED; list++) {
      const tagged = randomTagged(random);
      const topicLists = [randomTopics(random, "a"), randomTopics(random, "b")];
      const ids = tagged.map((t) => t.paper.id);
      for (let n = 0; n < READERS_PER_LIST; n++) {
        const subscriber = randomReader(random, n);
        const topics = pick(random, topicLists);
        const sent = ids.filter(() => chance(random, 0.15));
        const options: PersonalizeOptions = {
          date: "2026-08-18",
          threshold: pick(random, THRESHOLDS),
          explain: chance(random, 0.7) ? explainMatch : terseExplain,
          ...(chance(random, 0.4) ? { alreadySent: new Set(sent) } : {}),
        };
        // Act
        const digest = personalize(tagged, subscriber, topics, options);
        // Assess
        const expected = referencePersonalize(tagged, subscriber, topics, options);
        expect(digest, `seed ${seed}, list ${list}, reader ${n}`).toStrictEqual(expected);
      }
    }
  });
});
