import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../shared/config/load.js";
import { tagAndPersonalize } from "../../shared/pipeline/stages.js";
import { parseFeed } from "../../shared/sources/detect.js";

const FEED = "test/fixtures/feeds/hf_daily_papers_api_2026-08-18.json";

describe("tagAndPersonalize thresholds", () => {
  it("lets a reader's lower minScore reach below the shared threshold, while tags keep the shared bar", async () => {
    // Prepare: two readers of the same topic, one with a much lower bar than ranking.threshold.
    const config = parseConfig(
      `sources: [{type: huggingface}]
topics:
  - id: agents
    name: LLM agents and tool use
    description: Autonomous agents built on large language models that plan and call tools.
    keywords: [LLM agent, tool use, agentic]
subscribers:
  - {email: strict@example.org, topics: [agents], maxPapers: 50}
  - {email: eager@example.org, topics: [agents], maxPapers: 50, minScore: 0.05}
ranking: {threshold: 0.9}
`,
      "inline.yaml",
    );
    const { papers } = await parseFeed(readFileSync(FEED, "utf8"), FEED);
    // Act
    const { tagged, digests } = tagAndPersonalize(config, "2026-08-18", papers);
    // Assess
    const [strict, eager] = digests;
    expect(strict?.items.every((i) => i.score >= 0.9)).toBe(true);
    expect(eager?.items.length).toBeGreaterThan(strict?.items.length ?? 0);
    expect(eager?.items.some((i) => i.score < 0.9)).toBe(true);
    expect(tagged.flatMap((t) => t.matches).every((m) => m.score >= 0.9)).toBe(true);
  });
});
