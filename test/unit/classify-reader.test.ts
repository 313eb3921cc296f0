/**
 * PaperReader counts only the terms of a TermIndex, looking each word up once; what it gives must be
 * what the plain definitions give: terms() per field with its weight, the BM25 length of title +
 * abstract, and textVector of "title. abstract", bit for bit.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadShippedModel } from "../../shared/classify/model-file.js";
import { compileTopic, DEFAULT_PARAMS, PaperReader } from "../../shared/classify/score.js";
import { TermIndex, termCounts, terms } from "../../shared/classify/tokenize.js";
import { normalize, rowsVector, textVector } from "../../shared/classify/vectors.js";
import type { TopicConfig } from "../../shared/config/schema.js";
import type { Paper } from "../../shared/domain/paper.js";

const FEEDS = resolve(import.meta.dirname, "../fixtures/feeds");

function topic(id: string, name: string, keywords: string[], description = ""): TopicConfig {
  return { id, name, description, keywords, exclude: [], examples: [] };
}

const topics = [
  topic("agents", "LLM agents and tool use", ["tool use", "task planning", "function calling"]),
  topic("rank", "Learning to rank", ["learning to rank", "re-ranking"], "Ranking models for search."),
  topic("vision", "Image and video generation", ["diffusion models", "text-to-video"]),
  topic("rl", "Reinforcement learning from human feedback", ["RLHF", "reward models", "PPO"]),
];

/** The papers of the HF fixture days, plus texts with stop words between phrases, digits, repeats. */
function papers(): Paper[] {
  const hf = ["hf_daily_papers_api_2024-05-27.json", "hf_daily_papers_api_2025-06-03.json"].flatMap((name) =>
    (JSON.parse(readFileSync(resolve(FEEDS, name), "utf8")) as Array<{ paper: Record<string, unknown> }>).map(
      ({ paper }, i): Paper => ({
        id: `${name}-${i}`,
        title: String(paper.title ?? ""),
        abstract: String(paper.summary ?? ""),
        authors: [],
        categories: [],
        links: {},
        sources: ["test"],
        ...(Array.isArray(paper.ai_keywords) && { aiKeywords: paper.ai_keywords.map(String) }),
        ...(typeof paper.ai_summary === "string" && { aiSummary: paper.ai_summary }),
      }),
    ),
  );
  const made = (title: string, abstract: string, extra: Partial<Paper> = {}): Paper => ({
    id: title,
    title,
    abstract,
    authors: [],
    categories: [],
    links: {},
    sources: ["test"],
    ...extra,
  });
  return [
    ...hf,
    made("", ""),
    made("The of and", "a an the 1 2 3"),
    made("Learning to Rank, learning to rank", "tool use; tool-use; Tool Use! tool  use 4 tool", {
      aiKeywords: ["tool use", "learning to rank", ""],
      aiSummary: "Task planning with function calling: tool use again.",
    }),
    made("RLHF and PPO reward models", "RLHF RLHF RLHF reward reward models models", { aiKeywords: [] }),
  ];
}

/** A paper's term counts the plain way: every term of each field, with the field's weight. */
function plainCounts(paper: Paper): { tf: Map<string, number>; title: Set<string>; length: number } {
  const p = DEFAULT_PARAMS;
  const tf = termCounts(paper.title, new Map(), p.titleWeight);
  termCounts(paper.abstract, tf, 1);
  for (const k of paper.aiKeywords ?? []) termCounts(k, tf, p.aiKeywordWeight);
  if (paper.aiSummary) termCounts(paper.aiSummary, tf, p.aiSummaryWeight);
  const title = terms(paper.title);
  return { tf, title: new Set(title), length: title.length + terms(paper.abstract).length };
}

describe("PaperReader", () => {
  const model = loadShippedModel();
  const vectors = model.vectors ?? null;
  const index = new TermIndex();
  const compiled = topics.map((t) => compileTopic(t, model.background, vectors, DEFAULT_PARAMS, index));
  const asked = [
    ...new Set(
      compiled.flatMap((t) => [
        ...t.query.keys(),
        ...t.phrases.flatMap((ph) => ph.needs),
        ...t.excludes.flatMap((ph) => ph.needs),
      ]),
    ),
  ];

  it("counts the index's terms, the length and the vector as the plain definitions do", () => {
    // Prepare
    const reader = new PaperReader(index, vectors);
    const all = papers();
    expect(all.length).toBeGreaterThan(20);
    expect(asked.length).toBe(index.size);
    for (const paper of all) {
      // Act
      const doc = reader.read(paper, model.background);
      // Assess
      const plain = plainCounts(paper);
      asked.forEach((term, id) => {
        expect(Number.isNaN(doc.counts.tf[id]) ? undefined : doc.counts.tf[id], term).toBe(
          plain.tf.get(term),
        );
        expect(doc.counts.title[id] === 1, term).toBe(plain.title.has(term));
      });
      const p = DEFAULT_PARAMS;
      expect(doc.lengthFactor).toBe(1 - p.b + (p.b * plain.length) / model.background.avgLength);
      if (vectors) expect(doc.vector).toEqual(textVector(vectors, `${paper.title}. ${paper.abstract}`));
    }
  });

  it("sums word vectors as one float32 add per word and component, in text order", () => {
    // Prepare: the plain sum, rounded to float32 at each add, then the principal component removed.
    if (!vectors) return;
    const { dim, data, weight, scale, pc } = vectors;
    const plain = (rows: number[]): Float32Array => {
      const out = new Float32Array(dim);
      for (const row of rows) {
        const f = (weight[row] ?? 0) * (scale[row] ?? 0);
        for (let j = 0; j < dim; j++) out[j] = (out[j] ?? 0) + f * (data[row * dim + j] ?? 0);
      }
      let d = 0;
      for (let j = 0; j < dim; j++) d += (out[j] ?? 0) * (pc[j] ?? 0);
      for (let j = 0; j < dim; j++) out[j] = (out[j] ?? 0) - d * (pc[j] ?? 0);
      return normalize(out);
    };
    let seed = 5;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let n = 0; n < 300; n++) {
      const rows = Array.from({ length: n % 23 }, () => Math.floor(next() * vectors.index.size));
      // Act + Assess
      expect(rowsVector(vectors, rows)).toEqual(plain(rows));
    }
  });
});
