import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { configJsonSchema } from "../../shared/config/json-schema.js";
import { parseConfig } from "../../shared/config/load.js";
import { ConfigError } from "../../shared/domain/errors.js";

const MINIMAL = `
sources:
  - type: huggingface
  - type: arxiv
    categories: [cs.LG, cs.CL]
  - type: rss
    url: https://example.org/feed.xml
topics:
  - id: agents
    name: LLM agents and tool use
    description: free text, as a reader would describe the interest
    keywords: [LLM agent, tool use]
    exclude: [survey]
subscribers:
  - email: ada@example.org
    topics: [agents]
    maxPapers: 10
`;

function errorOf(text: string): string {
  try {
    parseConfig(text, "paperboy.config.yaml");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("parseConfig", () => {
  it("accepts the minimal shape of the issue and fills sensible defaults", () => {
    // Act
    const config = parseConfig(MINIMAL, "paperboy.config.yaml");
    // Assess
    expect(config.sources).toHaveLength(3);
    expect(config.sources[0]).toMatchObject({
      type: "huggingface",
      url: "https://huggingface.co/api/daily_papers",
    });
    expect(config.sources[1]).toMatchObject({
      type: "arxiv",
      categories: ["cs.LG", "cs.CL"],
      includeReplacements: false,
    });
    expect(config.topics[0]?.exclude).toEqual(["survey"]);
    expect(config.topics[0]?.examples).toEqual([]);
    expect(config.delivery.from).toContain("@");
    expect(config.delivery.emptyDigest).toBe("skip");
    expect(config.schedule).toEqual({ time: "07:00", timezone: "UTC", days: "MON-FRI" });
  });

  it("accepts the shipped example config and the demo config", () => {
    for (const file of ["paperboy.config.yaml", "test/fixtures/demo/paperboy.demo.yaml"]) {
      const config = parseConfig(readFileSync(file, "utf8"), file);
      expect(config.topics.length).toBeGreaterThanOrEqual(5);
      expect(config.subscribers.length).toBeGreaterThanOrEqual(2);
    }
  });

  it.each([
    [
      "unknown topic id",
      MINIMAL.replace("topics: [agents]", "topics: [agents, robots]"),
      'paperboy.config.yaml:16:22: subscribers[0].topics[1]: unknown topic "robots"',
    ],
    [
      "YAML syntax",
      "sources: [\n  - type: huggingface\n",
      /^paperboy\.config\.yaml:\d+:\d+: YAML syntax error: /,
    ],
    [
      "wrong type",
      MINIMAL.replace("maxPapers: 10", "maxPapers: ten"),
      /:17:\d+: subscribers\[0\]\.maxPapers: expected number, received string$/,
    ],
    [
      "invalid email",
      MINIMAL.replace("ada@example.org", "ada-at-example"),
      /subscribers\[0\]\.email: Invalid email address$/,
    ],
    [
      "duplicate email",
      `${MINIMAL}  - email: ADA@example.org\n    topics: [agents]\n`,
      /:18:\d+: subscribers\[1\]\.email: duplicate email "ADA@example\.org" \(first at subscribers\[0\]\)$/,
    ],
    [
      "duplicate topic id",
      MINIMAL.replace("subscribers:", "  - id: agents\n    name: Again\nsubscribers:"),
      /topics\[1\]\.id: duplicate topic id "agents" \(first at topics\[0\]\)$/,
    ],
    ["unknown source type", MINIMAL.replace("type: rss", "type: gopher"), /sources\[2\]\.type: /],
    [
      "unknown field",
      MINIMAL.replace("maxPapers: 10", "maxPapers: 10\n    colour: blue"),
      /subscribers\[0\]: unknown field "colour"$/,
    ],
    [
      "missing field",
      MINIMAL.replace("    name: LLM agents and tool use\n", ""),
      /:9:5: topics\[0\]\.name: missing required field \(string\)$/,
    ],
    ["empty file", "", /^paperboy\.config\.yaml: the file is empty/],
    [
      "bad timezone",
      `${MINIMAL}schedule:\n  timezone: Mars/Olympus\n`,
      /schedule\.timezone: expected an IANA timezone/,
    ],
  ])("rejects %s with one line naming the file and the place", (_name, text, expected) => {
    // Act
    const message = errorOf(text);
    // Assess
    expect(message).not.toContain("\n");
    if (typeof expected === "string") expect(message).toBe(expected);
    else expect(message).toMatch(expected);
  });
});

describe("configJsonSchema", () => {
  it("is in sync with the committed paperboy.schema.json", () => {
    const committed = JSON.parse(readFileSync("paperboy.schema.json", "utf8"));
    expect(committed).toEqual(configJsonSchema());
  });

  it("describes the required top-level fields", () => {
    const schema = configJsonSchema() as { required?: string[] };
    expect(schema.required).toEqual(expect.arrayContaining(["sources", "topics", "subscribers"]));
  });
});
