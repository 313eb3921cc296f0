/** Results of the classifier and of personalization (pure data). */
import type { Paper } from "./paper.js";

/** Why a paper matched a topic: the phrases/terms that matched, by field. */
export interface Evidence {
  /** Topic keywords/phrases found in the title. */
  title: string[];
  /** Topic keywords/phrases found anywhere (title, abstract, HF keywords). */
  keywords: string[];
  /** Other strong single terms from the topic's name/description that matched. */
  terms: string[];
}

export interface TopicMatch {
  topicId: string;
  /** Calibrated relevance in [0, 1]; one threshold means the same for every topic. */
  score: number;
  evidence: Evidence;
}

export interface TaggedPaper {
  paper: Paper;
  /** Topics this paper is about (score >= the tagging threshold), best first. */
  matches: TopicMatch[];
}

/** One paper in one reader's digest. */
export interface DigestItem {
  paper: Paper;
  score: number;
  /** Topic ids of the subscriber's topics this paper matched, best first. */
  topics: string[];
  /** One short line: why this paper was picked. */
  why: string;
}

export interface Digest {
  /** Run date, YYYY-MM-DD. */
  date: string;
  subscriber: { email: string; name?: string; topics: string[] };
  items: DigestItem[];
}
