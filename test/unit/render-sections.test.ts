import { describe, expect, it } from "vitest";
import { seededRandom } from "../../bench/workload.js";
import type { Paper } from "../../shared/domain/paper.js";
import type { Digest, DigestItem } from "../../shared/domain/tagging.js";
import { createDigestRenderer } from "../../shared/render/index.js";
import { sampleContext } from "../support/browser.js";

// The renderer puts a reader's papers into sections with loops that build no section objects. The
// reference here is the plain way: each paper once (its first listing), grouped under its best topic,
// the groups sorted by the reader's topic order (topics the reader does not follow after, by first
// appearance, "More papers" for none), a one-topic reader getting one unlabelled section.
interface Section {
  title?: string;
  items: { item: DigestItem; chips: string[] }[];
}

const NAMES = new Map(sampleContext.topics.map((topic) => [topic.id, topic.name]));
const nameOf = (id: string) => NAMES.get(id) ?? id;

function referenceSections(items: readonly DigestItem[], readerTopics: readonly string[]): Section[] {
  const seen = new Set<string>();
  const unique = items.filter((item) => !seen.has(item.paper.id) && seen.add(item.paper.id));
  if (readerTopics.length <= 1) {
    return [{ items: unique.map((item) => ({ item, chips: item.topics.map(nameOf) })) }];
  }
  const byTopic = new Map<string, Section["items"]>();
  for (const item of unique) {
    const [best = "", ...others] = item.topics;
    const list = byTopic.get(best) ?? [];
    list.push({ item, chips: others.map(nameOf) });
    byTopic.set(best, list);
  }
  const order = (id: string) => {
    const at = readerTopics.indexOf(id);
    return at === -1 ? readerTopics.length : at;
  };
  return [...byTopic.entries()]
    .sort(([a], [b]) => order(a) - order(b))
    .map(([id, list]) => ({ title: id ? nameOf(id) : "More papers", items: list }));
}

/** The text part's outline: section headings, paper titles and pill lines, in order. */
function outline(text: string): string[] {
  const lines = text.split("\n");
  return lines.filter(
    (line, at) =>
      /^Paper \d+$/.test(line) ||
      /^(Topics|Also in): /.test(line) ||
      (/^=+$/.test(lines[at + 1] ?? "") && line !== ""),
  );
}

function expectedOutline(sections: Section[]): string[] {
  const out: string[] = [];
  for (const section of sections) {
    if (section.title) out.push(section.title.toUpperCase());
    for (const { item, chips } of section.items) {
      out.push(item.paper.title);
      if (chips.length) out.push(`${section.title ? "Also in" : "Topics"}: ${chips.join(" · ")}`);
    }
  }
  return out;
}

function paper(n: number): Paper {
  return {
    id: `2608.${String(n).padStart(5, "0")}`,
    title: `Paper ${n}`,
    abstract: `Abstract of paper ${n}.`,
    authors: [],
    categories: [],
    links: { abs: `https://arxiv.org/abs/2608.${String(n).padStart(5, "0")}` },
    sources: ["test"],
  };
}

describe("digest sections", () => {
  it("match the plain group-and-sort on random readers and papers", () => {
    // Topic ids the config knows and one it does not; papers listed twice; papers with no topic.
    const ids = [...NAMES.keys(), "unknown-topic"];
    const papers = Array.from({ length: 12 }, (_, n) => paper(n));
    const next = seededRandom(23);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
    const renderer = createDigestRenderer(sampleContext);
    let sectioned = 0;
    for (let round = 0; round < 1500; round++) {
      // Prepare
      const readerTopics = Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(ids));
      const items: DigestItem[] = Array.from({ length: Math.floor(next() * 9) }, (_, at) => ({
        paper: pick(papers),
        score: 1 - at / 10,
        topics: Array.from({ length: Math.floor(next() * 4) }, () => pick(ids)),
        why: pick(["", "Matches agents.", "Matches vision."]),
      }));
      const digest: Digest = {
        date: "2026-08-18",
        subscriber: { email: "ana@example.org", topics: readerTopics },
        items,
      };

      // Act
      const { text } = renderer.render(digest);

      // Assess
      const sections = referenceSections(items, readerTopics);
      if (sections.length > 1) sectioned++;
      expect(
        outline(text),
        JSON.stringify({ readerTopics, items: items.map((i) => [i.paper.id, i.topics]) }),
      ).toEqual(expectedOutline(sections));
    }
    // Both kinds of reader were drawn, and many had several sections.
    expect(sectioned).toBeGreaterThan(300);
  });
});
