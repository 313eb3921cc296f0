/** Topic display names, cleaned once (the digest's sections and pills, the archive). */
import type { TopicConfig } from "../config/schema.js";
import { cleanText } from "./escape.js";

/** Display names by topic id, cleaned once. */
export function topicNames(topics: readonly TopicConfig[]): Map<string, string> {
  return new Map(topics.map((topic) => [topic.id, cleanText(topic.name)]));
}

/** Display name of a topic id (the id itself when the config does not know it). */
export function topicName(names: ReadonlyMap<string, string>, id: string): string {
  return names.get(id) ?? cleanText(id);
}
