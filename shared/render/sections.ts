/** Groups a reader's papers into topic sections: each paper once, under its best topic. Pure. */
import type { TopicConfig } from "../config/schema.js";
import type { DigestItem } from "../domain/tagging.js";
import { cleanText } from "./escape.js";

export interface SectionItem {
  item: DigestItem;
  /** Display names of the topics shown on the paper (the other topics when it sits in a section). */
  chips: string[];
}

export interface DigestSection {
  /** Topic id, or undefined for the single unlabelled section of a one-topic reader. */
  topicId?: string;
  title?: string;
  items: SectionItem[];
}

/** Display names by topic id, cleaned once. */
export function topicNames(topics: readonly TopicConfig[]): Map<string, string> {
  return new Map(topics.map((topic) => [topic.id, cleanText(topic.name)]));
}

/** Display name of a topic id (the id itself when the config does not know it). */
export function topicName(names: ReadonlyMap<string, string>, id: string): string {
  return names.get(id) ?? cleanText(id);
}

/**
 * Sections in the reader's topic order (unknown topics after), papers in digest (rank) order. A reader
 * who follows one topic gets one unlabelled section with every topic shown on each paper.
 */
export function groupByTopic(
  items: readonly DigestItem[],
  readerTopics: readonly string[],
  topics: ReadonlyMap<string, string>,
): DigestSection[] {
  const seen = new Set<string>();
  const unique = items.filter((item) => !seen.has(item.paper.id) && seen.add(item.paper.id));
  if (readerTopics.length <= 1) {
    return [
      { items: unique.map((item) => ({ item, chips: item.topics.map((id) => topicName(topics, id)) })) },
    ];
  }
  const byTopic = new Map<string, SectionItem[]>();
  for (const item of unique) {
    const [best = "", ...others] = item.topics;
    const list = byTopic.get(best) ?? [];
    list.push({ item, chips: others.map((id) => topicName(topics, id)) });
    byTopic.set(best, list);
  }
  const order = (id: string): number => {
    const at = readerTopics.indexOf(id);
    return at === -1 ? readerTopics.length : at;
  };
  return [...byTopic.entries()]
    .sort(([a], [b]) => order(a) - order(b))
    .map(([topicId, sectionItems]) =>
      topicId
        ? { topicId, title: topicName(topics, topicId), items: sectionItems }
        : { title: "More papers", items: sectionItems },
    );
}
