/** mergePapers: one Paper per arXiv id across sources, HF enriching arXiv. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Paper } from "../../shared/domain/paper.js";
import { mergePapers } from "../../shared/pipeline/merge.js";
import { parseFeed } from "../../shared/sources/detect.js";

const read = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url), "utf8");

async function fixturePapers(includeReplacements = false) {
  const hf = await parseFeed(read("feeds/hf_daily_papers_api_2026-08-18.json"), "hf");
  // Synthetic: hand-made arXiv RSS sharing ids with the recorded HF day (see test/fixtures/synthetic/README.md).
  const arxiv = await parseFeed(
    read("synthetic/arxiv_rss2_cs_ai_2026-08-18_shares_ids_with_hf.xml"),
    "arxiv",
    {
      includeReplacements,
    },
  );
  return { hf: hf.papers, arxiv: arxiv.papers };
}

function paper(id: string, over: Partial<Paper> = {}): Paper {
  return {
    id,
    title: `T ${id}`,
    abstract: "",
    authors: [],
    categories: [],
    links: {},
    sources: ["s"],
    ...over,
  };
}

describe("mergePapers with HF + arXiv RSS of the same day", () => {
  it("HF enriches the arXiv listing of the same paper", async () => {
    // Prepare
    const { hf, arxiv } = await fixturePapers();
    // Act
    const merged = mergePapers([arxiv, hf]);
    // Assess
    const vibe = merged.find((p) => p.id === "2608.15265");
    const hfVibe = hf.find((p) => p.id === "2608.15265");
    expect(vibe).toMatchObject({
      version: 2,
      title: "VibeWorlding: Can Multimodal Agents Construct 3D Open Worlds End-to-End?",
      upvotes: 39,
      aiSummary: hfVibe?.aiSummary,
      aiKeywords: hfVibe?.aiKeywords,
      thumbnail: "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2608.15265.png",
      categories: ["cs.AI", "cs.CV"],
      announceType: "new",
      sources: ["arxiv:cs.AI", "huggingface"],
      links: {
        abs: "https://arxiv.org/abs/2608.15265",
        pdf: "https://arxiv.org/pdf/2608.15265",
        hf: "https://huggingface.co/papers/2608.15265",
        code: "https://github.com/usail-hkust/VibeWorlding-Gym",
        project: "https://huggingface.co/collections/usail-hkust/vibeworlder",
      },
    });
    // HF's full abstract is longer than the synthetic arXiv one.
    expect(vibe?.abstract).toBe(hfVibe?.abstract);
  });

  it.each([
    ["arXiv first", false, "arxiv-first"],
    ["HF first", false, "hf-first"],
    ["with replacements", true, "arxiv-first"],
  ] as const)("one paper per id, first-seen order (%s)", async (_name, includeReplacements, order) => {
    // Prepare
    const { hf, arxiv } = await fixturePapers(includeReplacements);
    const lists = order === "arxiv-first" ? [arxiv, hf] : [hf, arxiv];
    // Act
    const merged = mergePapers(lists);
    // Assess
    const expectedIds = [...new Set(lists.flat().map((p) => p.id))];
    expect(merged.map((p) => p.id)).toEqual(expectedIds);
    expect(merged).toHaveLength(30);
    expect(merged.find((p) => p.id === "2608.19999")?.sources).toEqual(["arxiv:cs.AI"]);
  });

  it("a replacement merged with HF keeps the higher version and the HF fields", async () => {
    // Prepare
    const { hf, arxiv } = await fixturePapers(true);
    // Act
    const merged = mergePapers([hf, arxiv]);
    // Assess
    expect(merged.find((p) => p.id === "2608.16798")).toMatchObject({
      version: 3,
      upvotes: 30,
      announceType: "replace",
      sources: ["huggingface", "arxiv:cs.AI"],
    });
  });

  it("is deterministic and does not modify its inputs", async () => {
    // Prepare
    const { hf, arxiv } = await fixturePapers();
    const before = JSON.stringify([arxiv, hf]);
    // Act
    const first = mergePapers([arxiv, hf]);
    const second = mergePapers([arxiv, hf]);
    // Assess
    expect(JSON.stringify(first)).toBe(JSON.stringify(second));
    expect(JSON.stringify([arxiv, hf])).toBe(before);
  });
});

describe("mergePapers rules", () => {
  it.each<[string, Paper[][], Partial<Paper>]>([
    [
      "duplicates within one list appear once",
      [[paper("1", { sources: ["a"] }), paper("1", { sources: ["a"] })]],
      { sources: ["a"] },
    ],
    [
      "categories are unioned, the first listing's primary first",
      [[paper("1", { categories: ["cs.AI", "cs.CV"] })], [paper("1", { categories: ["cs.LG", "cs.AI"] })]],
      { categories: ["cs.AI", "cs.CV", "cs.LG"] },
    ],
    [
      "a listing without categories does not decide the primary one",
      [[paper("1")], [paper("1", { categories: ["cs.LG", "cs.AI"] })]],
      { categories: ["cs.LG", "cs.AI"] },
    ],
    [
      "the higher version wins, in either order",
      [[paper("1", { version: 3 })], [paper("1", { version: 1 })]],
      { version: 3 },
    ],
    [
      "the longer abstract and the longer author list win",
      [
        [paper("1", { abstract: "Short.", authors: ["A", "B", "C"] })],
        [paper("1", { abstract: "A much longer abstract.", authors: ["A"] })],
      ],
      { abstract: "A much longer abstract.", authors: ["A", "B", "C"] },
    ],
    [
      "new beats cross beats replace",
      [
        [paper("1", { announceType: "replace" })],
        [paper("1", { announceType: "cross" })],
        [paper("1", { announceType: "new" })],
      ],
      { announceType: "new" },
    ],
    [
      "the highest upvotes and the first AI summary are kept",
      [[paper("1", { upvotes: 3, aiSummary: "First." })], [paper("1", { upvotes: 9, aiSummary: "Second." })]],
      { upvotes: 9, aiSummary: "First." },
    ],
    [
      "links are filled from every listing, the first listing winning a clash",
      [
        [paper("1", { links: { abs: "https://arxiv.org/abs/1" } })],
        [paper("1", { links: { abs: "https://other/abs", code: "https://github.com/x/y" } })],
      ],
      { links: { abs: "https://arxiv.org/abs/1", code: "https://github.com/x/y" } },
    ],
    [
      "sources are unioned in first-seen order",
      [[paper("1", { sources: ["arxiv:cs.AI"] })], [paper("1", { sources: ["huggingface", "arxiv:cs.AI"] })]],
      { sources: ["arxiv:cs.AI", "huggingface"] },
    ],
  ])("%s", (_name, lists, expected) => {
    // Act
    const merged = mergePapers(lists);
    // Assess
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject(expected);
  });

  it("keeps different ids apart, url: ids included, and accepts no lists", () => {
    // Act
    const merged = mergePapers([
      [paper("url:abc"), paper("2604.21935")],
      [paper("url:abc"), paper("url:def")],
    ]);
    // Assess
    expect(merged.map((p) => p.id)).toEqual(["url:abc", "2604.21935", "url:def"]);
    expect(mergePapers([])).toEqual([]);
  });
});
