import { describe, expect, it } from "vitest";
import type { SubscriberConfig, TopicConfig } from "../../shared/config/schema.js";
import type { Paper } from "../../shared/domain/paper.js";
import type { TaggedPaper, TopicMatch } from "../../shared/domain/tagging.js";
import { personalize } from "../../shared/pipeline/personalize.js";

const topics: TopicConfig[] = [
  { id: "agents", name: "LLM agents", description: "", keywords: [], exclude: [], examples: [] },
  { id: "rl", name: "RL for LLMs", description: "", keywords: [], exclude: [], examples: [] },
  { id: "3d", name: "3D generation", description: "", keywords: [], exclude: [], examples: [] },
];

function paper(id: string, upvotes?: number): Paper {
  return {
    id,
    title: `Paper ${id}`,
    abstract: "",
    authors: [],
    categories: [],
    links: {},
    sources: ["test"],
    ...(upvotes === undefined ? {} : { upvotes }),
  };
}

function match(topicId: string, score: number): TopicMatch {
  return { topicId, score, evidence: { title: [], keywords: [topicId], terms: [] } };
}

const tagged: TaggedPaper[] = [
  { paper: paper("a"), matches: [match("agents", 0.9), match("rl", 0.7)] },
  { paper: paper("b"), matches: [match("3d", 0.95)] },
  { paper: paper("c", 5), matches: [match("rl", 0.6)] },
  { paper: paper("d", 50), matches: [match("rl", 0.6)] },
  { paper: paper("e"), matches: [match("agents", 0.3)] },
  { paper: paper("f"), matches: [] },
];

const explain = (m: TopicMatch, t: TopicConfig) => `${t.name}: ${m.evidence.keywords.join(", ")}`;
const reader = (over: Partial<SubscriberConfig> = {}): SubscriberConfig => ({
  email: "ada@example.org",
  topics: ["agents", "rl"],
  maxPapers: 10,
  ...over,
});

describe("personalize", () => {
  it("keeps only the reader's topics above the threshold, best first, ties by upvotes", () => {
    // Act
    const digest = personalize(tagged, reader(), topics, { date: "2026-08-18", threshold: 0.5, explain });
    // Assess
    expect(digest.items.map((i) => i.paper.id)).toEqual(["a", "d", "c"]);
    expect(digest.items[0]?.topics).toEqual(["agents", "rl"]);
    expect(digest.items[0]?.why).toBe("LLM agents: agents. Also on RL for LLMs.");
    expect(digest.date).toBe("2026-08-18");
  });

  it.each([
    ["maxPapers caps the digest", reader({ maxPapers: 1 }), 0.5, ["a"]],
    ["a reader's minScore overrides the threshold", reader({ minScore: 0.8 }), 0.5, ["a"]],
    ["a low threshold lets weak matches in", reader(), 0.2, ["a", "d", "c", "e"]],
    ["nothing on the reader's topics gives an empty digest", reader({ topics: ["3d"] }), 0.99, []],
  ])("%s", (_name, subscriber, threshold, expected) => {
    const digest = personalize(tagged, subscriber, topics, { date: "2026-08-18", threshold, explain });
    expect(digest.items.map((i) => i.paper.id)).toEqual(expected);
  });

  it("never sends a paper the reader already received", () => {
    const digest = personalize(tagged, reader(), topics, {
      date: "2026-08-19",
      threshold: 0.5,
      explain,
      alreadySent: new Set(["a"]),
    });
    expect(digest.items.map((i) => i.paper.id)).toEqual(["d", "c"]);
  });

  it("lists a paper tagged twice in the input only once", () => {
    const doubled = [...tagged, { paper: paper("a"), matches: [match("agents", 0.99)] }];
    const digest = personalize(doubled, reader(), topics, { date: "2026-08-18", threshold: 0.5, explain });
    expect(digest.items.filter((i) => i.paper.id === "a")).toHaveLength(1);
  });
});
