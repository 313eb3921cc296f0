import { describe, expect, it } from "vitest";
import {
  emptyBackground,
  idf,
  parseBackground,
  serializeBackground,
} from "../../shared/classify/background.js";
import { gain, ndcgAt } from "../../shared/classify/evaluation.js";
import { createClassifier, DEFAULT_THRESHOLD, explainMatch, whyParts } from "../../shared/classify/index.js";
import { loadShippedModel } from "../../shared/classify/model-file.js";
import {
  calibrate,
  compileTopic,
  keyPhrase,
  lexicalScore,
  namePhrases,
  paperTerms,
  phraseMatches,
  readerCase,
} from "../../shared/classify/score.js";
import { stem, terms, words } from "../../shared/classify/tokenize.js";
import {
  encodeVectorFile,
  parseVectorFile,
  textVector,
  type WordVectors,
} from "../../shared/classify/vectors.js";
import type { TopicConfig } from "../../shared/config/schema.js";
import type { Paper } from "../../shared/domain/paper.js";
import type { TopicMatch } from "../../shared/domain/tagging.js";

function topic(over: Partial<TopicConfig> & { id: string; name: string }): TopicConfig {
  return { description: "", keywords: [], exclude: [], examples: [], ...over };
}

function paper(id: string, title: string, abstract: string, extra: Partial<Paper> = {}): Paper {
  return { id, title, abstract, authors: [], categories: [], links: {}, sources: ["test"], ...extra };
}

const agents = topic({
  id: "agents",
  name: "LLM agents and tool use",
  description: "Language-model agents that plan, call tools and act in environments.",
  keywords: ["tool use", "task planning", "function calling"],
});

const curriculum = topic({
  id: "curriculum",
  name: "Curriculum learning and sample difficulty",
  description: "Ordering or weighting training examples by how hard they are.",
  keywords: ["curriculum learning", "hard examples"],
});

const onAgents = paper(
  "2601.00001",
  "ToolPlanner: Task Planning for LLM Agents with Tool Use",
  "We study large language model agents that call external tools. Our agent learns function calling and task planning across web environments.",
);
const onCurriculum = paper(
  "2601.00002",
  "Easy First: Curriculum Learning by Sample Difficulty",
  "We order training examples from easy to hard with a difficulty score and show curriculum learning speeds up convergence.",
);
const offTopic = paper(
  "2601.00003",
  "A Survey of Protein Folding Benchmarks",
  "We review datasets and metrics for protein structure prediction and discuss open problems in computational biology.",
);

describe("tokenizer", () => {
  it.each([
    ["Tool-use in LLMs", ["tool", "use", "in", "llms"]],
    ["GPT-4o, 3D & ViT!", ["gpt", "4o", "3d", "vit"]],
    ["", []],
  ])("words(%j)", (text, expected) => {
    expect(words(text)).toEqual(expected);
  });

  it.each([
    ["learning", "learn"],
    ["agents", "agent"],
    ["planning", "plan"],
    ["llm", "llm"],
  ])("stem(%s) = %s", (word, expected) => {
    expect(stem(word)).toBe(expected);
  });

  it.each([
    ["tool use", ["tool", "use", "tool use"]],
    ["learning to rank", ["learn", "rank", "learn rank"]],
    ["the of and", []],
    ["Curriculum Learning", ["curriculum", "learn", "curriculum learn"]],
  ])("terms(%j) keeps stems and consecutive-stem phrases", (text, expected) => {
    expect(terms(text)).toEqual(expected);
  });
});

describe("phrase matching", () => {
  it.each([
    ["tool use", "agents with tool use", true],
    ["tool use", "use of a tool", false],
    ["curriculum learning", "a curriculum for learning", true],
    ["planning", "we planned the tasks", true],
    ["task planning", "planning tasks", false],
  ])("%j in %j → %s", (phrase, text, expected) => {
    const have = new Set(terms(text));
    expect(phraseMatches(keyPhrase(phrase), (t) => have.has(t))).toBe(expected);
  });

  it.each([
    ["Image and video generation", "image and video generation"],
    ["LLM agents", "LLM agents"],
    ["B-Rep models", "B-Rep models"],
    ["Retrieval", "retrieval"],
  ])("readerCase(%j) = %j", (text, expected) => {
    expect(readerCase(text)).toBe(expected);
  });

  it.each([
    ["Curriculum learning and sample difficulty", ["Curriculum learning", "sample difficulty"]],
    ["LLM agents / tool use", ["LLM agents", "tool use"]],
    ["Computer vision", ["Computer vision"]],
  ])("namePhrases(%j)", (name, expected) => {
    expect(namePhrases(name)).toEqual(expected);
  });
});

describe("background model", () => {
  it("round-trips through its file format", () => {
    const bg = {
      docs: 100,
      avgLength: 200,
      df: new Map([
        ["agent", 10],
        ["tool use", 3],
      ]),
    };
    const back = parseBackground(serializeBackground(bg));
    expect(back.docs).toBe(100);
    expect(back.df.get("tool use")).toBe(3);
  });

  it.each([
    ["rare", 1, "common", 50],
    ["unseen", 0, "common", 50],
  ])("idf(%s, df %i) > idf(%s, df %i)", (rare, rareDf, common, commonDf) => {
    const bg = { docs: 100, avgLength: 200, df: new Map([[common, commonDf]]) };
    if (rareDf > 0) bg.df.set(rare, rareDf);
    expect(idf(bg, rare)).toBeGreaterThan(idf(bg, common));
  });

  it("ships a background model that loads quickly and knows common terms", () => {
    const model = loadShippedModel();
    expect(model.source).not.toBe("none");
    expect(model.background.docs).toBeGreaterThan(10_000);
    expect(idf(model.background, "model")).toBeLessThan(idf(model.background, "curriculum"));
  });
});

describe("scoring and calibration", () => {
  const bg = loadShippedModel().background;

  it.each([["title over abstract", "Tool use", "Nothing here", "Nothing here", "Tool use"]])(
    "%s",
    (_, titleA, abstractA, titleB, abstractB) => {
      const t = compileTopic(agents, bg, null);
      const a = lexicalScore(t, paperTerms(paper("a", titleA, abstractA), bg, null));
      const b = lexicalScore(t, paperTerms(paper("b", titleB, abstractB), bg, null));
      expect(a).toBeGreaterThan(b);
    },
  );

  it("uses HF AI keywords when present", () => {
    const t = compileTopic(curriculum, bg, null);
    const plain = paper("p", "Training schedules", "We study schedules for training.");
    const withKeywords = { ...plain, aiKeywords: ["curriculum learning", "sample difficulty"] };
    expect(lexicalScore(t, paperTerms(withKeywords, bg, null))).toBeGreaterThan(
      lexicalScore(t, paperTerms(plain, bg, null)),
    );
  });

  it.each([
    ["agents paper", onAgents, "agents", true],
    ["curriculum paper", onCurriculum, "curriculum", true],
    ["protein paper", offTopic, "agents", false],
    ["protein paper", offTopic, "curriculum", false],
    ["agents paper", onAgents, "curriculum", false],
  ])("tags the %s with %s: %s", (_, p, topicId, expected) => {
    const tagged = createClassifier([agents, curriculum]).tag([p])[0];
    expect(tagged?.matches.some((m) => m.topicId === topicId)).toBe(expected);
  });

  it("gives scores in [0, 1], monotone in the lexical score", () => {
    const t = compileTopic(agents, bg, null);
    const xs = [0, 0.05, 0.1, 0.3, 0.9].map((lex) => calibrate(t, lex, 0, false));
    for (const x of xs) expect(x).toBeGreaterThanOrEqual(0);
    for (const x of xs) expect(x).toBeLessThanOrEqual(1);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
  });

  it("means the same for a wordy topic as for a terse one (calibration is per topic)", () => {
    const terse = topic({ id: "terse", name: "Curriculum learning" });
    const wordy = topic({
      id: "wordy",
      name: "Curriculum learning",
      description:
        "Methods that schedule the training data of neural networks from easy to hard samples, self-paced learning, data ordering and pacing functions for faster and better training.",
      keywords: ["curriculum learning", "self-paced learning", "data ordering", "pacing function"],
    });
    const c = createClassifier([terse, wordy]);
    for (const m of c.scores(onCurriculum)) expect(m.score).toBeGreaterThan(DEFAULT_THRESHOLD);
    for (const m of c.scores(offTopic)) expect(m.score).toBeLessThan(DEFAULT_THRESHOLD);
  });

  it("is deterministic", () => {
    const a = createClassifier([agents, curriculum]).scores(onAgents);
    const b = createClassifier([agents, curriculum]).scores(onAgents);
    expect(a).toEqual(b);
  });
});

describe("excludes", () => {
  it.each([
    [["benchmark survey"], false],
    [["web environments"], true],
    [["Function-Calling"], true],
    [["protein", "calling functions"], false],
    [["protein", "agents"], true],
  ])("exclude %j → excluded %s", (exclude, excluded) => {
    const p = onAgents;
    const c = createClassifier([{ ...agents, exclude }]);
    const [m] = c.scores(p);
    expect(m?.score === 0).toBe(excluded);
    expect(c.tag([p])[0]?.matches.length === 0).toBe(excluded);
  });
});

describe("examples (relevance feedback)", () => {
  it("a liked paper's title pulls similar papers up", () => {
    const withExample = { ...curriculum, examples: ["Protein structure benchmarks for folding"] };
    const [plain] = createClassifier([curriculum]).scores(offTopic);
    const [fed] = createClassifier([withExample]).scores(offTopic);
    expect(fed?.score).toBeGreaterThan(plain?.score ?? 1);
  });

  it("ignores bare arXiv ids", () => {
    const withId = { ...curriculum, examples: ["2401.01234"] };
    expect(createClassifier([withId]).scores(offTopic)).toEqual(
      createClassifier([curriculum]).scores(offTopic),
    );
  });
});

describe("explanations", () => {
  const match = (evidence: TopicMatch["evidence"]): TopicMatch => ({
    topicId: "agents",
    score: 0.9,
    evidence,
  });

  it.each([
    [
      { title: ["tool use"], keywords: ["tool use", "task planning"], terms: ["agents"] },
      "LLM agents and tool use: title mentions tool use; matches task planning; also agents",
    ],
    [
      { title: [], keywords: [], terms: ["agents", "environments"] },
      "LLM agents and tool use: mentions agents, environments",
    ],
    [{ title: [], keywords: [], terms: [] }, "LLM agents and tool use: close in meaning to the topic"],
    [
      {
        title: ["document retrieval", "retrieval"],
        keywords: ["retrieval", "RAG"],
        terms: ["document", "index"],
      },
      "LLM agents and tool use: title mentions document retrieval; matches RAG; also index",
    ],
    [
      { title: [], keywords: ["task planning"], terms: ["task", "planning", "tools"] },
      "LLM agents and tool use: matches task planning; also tools",
    ],
  ])("%j", (evidence, expected) => {
    expect(explainMatch(match(evidence), agents)).toBe(expected);
  });

  it("names what matched in a real match, as plain text", () => {
    const [m] = createClassifier([agents]).scores(onAgents);
    if (!m) throw new Error("no match");
    const line = explainMatch(m, agents);
    expect(line).toContain("tool use");
    expect(line).toContain("task planning");
    expect(line).not.toMatch(/[<>*_`]/);
    expect(whyParts(m).title).toEqual(expect.arrayContaining(["tool use", "task planning"]));
  });
});

describe("word vectors", () => {
  it("round-trips the int8 file and averages text vectors", () => {
    const v: WordVectors = {
      dim: 2,
      index: new Map([
        ["agent", 0],
        ["tool", 1],
      ]),
      data: Int8Array.from([127, 0, 0, 127]),
      scale: Float32Array.from([0.01, 0.02]),
      weight: Float32Array.from([1, 1]),
      pc: Float32Array.from([0, 0]),
      docMean: Float32Array.from([0.5, 0.5]),
      docCov: Float32Array.from([0.1, 0, 0, 0.2]),
    };
    const back = parseVectorFile(encodeVectorFile(v));
    expect(back.index.get("tool")).toBe(1);
    expect([...back.docCov]).toEqual([...v.docCov].map((x) => Math.fround(x)));
    const x = textVector(back, "agent agent unknown");
    expect(x[0]).toBeCloseTo(1);
    expect(x[1]).toBeCloseTo(0);
  });
});

describe("eval metrics", () => {
  it.each([
    [[2, 1, 0], [2, 1, 0], 1],
    [[0, 0, 0], [2, 0, 0], 0],
  ])("ndcg %j of %j = %d", (ranked, all, expected) => {
    expect(ndcgAt(10, ranked, all)).toBeCloseTo(expected);
  });

  it.each([
    [["cs.CL", "cs.AI"], "cs.CL", 2],
    [["cs.CL", "cs.AI"], "cs.AI", 1],
    [["cs.CL"], "cs.CV", 0],
  ])("gain(%j, %s) = %i", (categories, category, expected) => {
    expect(gain(paper("x", "", "", { categories }), category)).toBe(expected);
  });

  it("an empty background still scores (stand-in when the model file is missing)", () => {
    const t = compileTopic(agents, emptyBackground(), null);
    expect(lexicalScore(t, paperTerms(onAgents, emptyBackground(), null))).toBeGreaterThan(0);
  });
});
