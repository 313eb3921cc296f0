/** Every recorded feed fixture through parseFeed: format detected by content, counts, first paper. */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FeedError } from "../../shared/domain/errors.js";
import type { Paper } from "../../shared/domain/paper.js";
import { parseFeed } from "../../shared/sources/detect.js";

const FEEDS = new URL("../fixtures/feeds/", import.meta.url);
const SYNTHETIC = new URL("../fixtures/synthetic/", import.meta.url);

const read = (dir: URL, name: string) => readFileSync(new URL(name, dir), "utf8");
const abs = (id: string) => `https://arxiv.org/abs/${id}`;
const pdf = (id: string) => `https://arxiv.org/pdf/${id}`;
const hf = (id: string) => `https://huggingface.co/papers/${id}`;

interface FixtureCase {
  file: string;
  format: string;
  /** Papers and skipped entries by default, and with includeReplacements. */
  papers: number;
  skipped: number;
  withReplacements: { papers: number; skipped: number };
  first?: Partial<Paper>;
}

const cases: FixtureCase[] = [
  {
    file: "arxiv_api_atom_2026-04_id_list_0000.0000_noresult.xml",
    format: "arxiv-atom",
    papers: 0,
    skipped: 0,
    withReplacements: { papers: 0, skipped: 0 },
  },
  {
    file: "arxiv_api_atom_2026-04_id_list_1707.08567.xml",
    format: "arxiv-atom",
    papers: 1,
    skipped: 0,
    withReplacements: { papers: 1, skipped: 0 },
    first: {
      id: "1707.08567",
      version: 1,
      title: "Proceedings of Workshop AEW10: Concepts in Information Theory and Communications",
      categories: ["cs.IT"],
      links: { abs: abs("1707.08567"), pdf: pdf("1707.08567") },
      publishedAt: "2017-07-27T08:18:33.000Z",
      sources: ["arxiv-api"],
    },
  },
  {
    file: "arxiv_api_atom_2026-04_id_list_two_ids.xml",
    format: "arxiv-atom",
    papers: 1,
    skipped: 0,
    withReplacements: { papers: 1, skipped: 0 },
    first: { id: "1707.08567", version: 1 },
  },
  {
    file: "arxiv_api_atom_2026-04_search_all-testing_10results.xml",
    format: "arxiv-atom",
    papers: 10,
    skipped: 0,
    withReplacements: { papers: 10, skipped: 0 },
    first: {
      id: "2202.12139",
      title: "Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques",
      authors: ["Mohit Kumar Ahuja", "Arnaud Gotlieb", "Helge Spieker"],
      categories: ["cs.SE", "cs.LG"],
    },
  },
  {
    file: "arxiv_api_atom_legacy2016_id_list_1111.2011v2.xml",
    format: "arxiv-atom",
    papers: 1,
    skipped: 0,
    withReplacements: { papers: 1, skipped: 0 },
    first: {
      id: "1111.2011",
      version: 2,
      // The title wraps over two lines in the feed.
      title: "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit",
      authors: ["James M. Murray", "Adrian Del Maestro", "Zlatko Tesanovic"],
      categories: ["cond-mat.str-el", "cond-mat.stat-mech"],
      links: { abs: abs("1111.2011"), pdf: pdf("1111.2011") },
    },
  },
  {
    file: "arxiv_api_atom_legacy2016_search_au-del_maestro.xml",
    format: "arxiv-atom",
    papers: 10,
    skipped: 0,
    withReplacements: { papers: 10, skipped: 0 },
    first: {
      id: "1201.4869",
      title: "A Luttinger Liquid Core Inside Helium-4 Filled Nanopores",
      authors: ["Adrian Del Maestro"],
      categories: ["cond-mat.mes-hall", "cond-mat.other"],
    },
  },
  {
    file: "arxiv_rss1_rdf_2021-07-08_hep-ex_abstracts-redacted.xml",
    format: "arxiv-rdf",
    papers: 2,
    skipped: 1,
    withReplacements: { papers: 3, skipped: 0 },
    first: {
      id: "2107.03419",
      version: 1,
      title: "Observation of excited $\\Omega_c^0$ baryons in $\\Omega_b^- \\to \\Xi_c^+ K^-\\pi^-$ decays",
      abstract: "desc1",
      authors: ["LHCb collaboration", "R. Aaij"],
      categories: ["hep-ex"],
      announceType: "new",
      publishedAt: "2021-07-09T01:30:00.000Z",
      sources: ["arxiv:hep-ex"],
    },
  },
  ...["ai", "cl", "lg"].map((cat) => ({
    file: `arxiv_rss2_2026_trimmed_cs_${cat}.xml`,
    format: "arxiv-rss",
    papers: 3,
    skipped: 0,
    withReplacements: { papers: 3, skipped: 0 },
  })),
  {
    file: "hf_daily_papers_api_2024-05-27.json",
    format: "hf-daily-papers",
    papers: 13,
    skipped: 0,
    withReplacements: { papers: 13, skipped: 0 },
    first: {
      id: "2405.15738",
      title: "ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large Multimodal Models",
      upvotes: 32,
      links: { abs: abs("2405.15738"), pdf: pdf("2405.15738"), hf: hf("2405.15738") },
      thumbnail: "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2405.15738.png",
      publishedAt: "2024-05-24T17:34:15.000Z",
      sources: ["huggingface"],
    },
  },
  {
    file: "hf_daily_papers_api_2025-06-03.json",
    format: "hf-daily-papers",
    papers: 29,
    skipped: 0,
    withReplacements: { papers: 29, skipped: 0 },
    first: {
      id: "2506.01939",
      upvotes: 57,
      aiSummary:
        "Token entropy patterns are crucial in RLVR, with high-entropy tokens significantly impacting reasoning performance and model optimization.",
      links: {
        abs: abs("2506.01939"),
        pdf: pdf("2506.01939"),
        hf: hf("2506.01939"),
        project: "https://shenzhi-wang.github.io/high-entropy-minority-tokens-rlvr/",
      },
    },
  },
  {
    file: "hf_daily_papers_api_2026-08-18.json",
    format: "hf-daily-papers",
    papers: 29,
    skipped: 0,
    withReplacements: { papers: 29, skipped: 0 },
    first: {
      id: "2608.15265",
      title: "VibeWorlding: Can Multimodal Agents Construct 3D Open Worlds End-to-End?",
      upvotes: 39,
      links: {
        abs: abs("2608.15265"),
        pdf: pdf("2608.15265"),
        hf: hf("2608.15265"),
        code: "https://github.com/usail-hkust/VibeWorlding-Gym",
        project: "https://huggingface.co/collections/usail-hkust/vibeworlder",
      },
      thumbnail: "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2608.15265.png",
    },
  },
  ...[
    ["hf_papers_thirdparty_jsonfeed1_2026-08-22.json", "json-feed"],
    ["hf_papers_thirdparty_rss2_2026-08-22.xml", "rss"],
  ].map(([file, format]) => ({
    file: file ?? "",
    format: format ?? "",
    papers: 26,
    skipped: 0,
    withReplacements: { papers: 26, skipped: 0 },
    first: {
      id: "2608.19880",
      title: "EnvHarness: Awakening Static Worlds for Agent Learning",
      aiSummary:
        "EnvHarness and EnvRigger dynamically reshape static environments via programmable plugins to target agent weaknesses and improve reinforcement learning co-evolution.",
      links: { abs: abs("2608.19880"), pdf: pdf("2608.19880"), hf: hf("2608.19880") },
      publishedAt: "2026-08-21T02:30:55.000Z",
      sources: ["rss:huggingface.co"],
    },
  })),
];

describe("parseFeed over every recorded fixture", () => {
  it("has a case for every file in test/fixtures/feeds (the error response is tested below)", () => {
    // Prepare
    const files = readdirSync(FEEDS).filter((f) => f !== "SOURCES.md");
    // Assess
    expect([...cases.map((c) => c.file), "arxiv_api_atom_2026-04_id_list_abc_error.xml"].sort()).toEqual(
      files.sort(),
    );
  });

  it.each(cases)("$file → $format, $papers papers, $skipped skipped", async (c) => {
    // Prepare
    const body = read(FEEDS, c.file);
    // Act
    const result = await parseFeed(body, c.file);
    const withReplacements = await parseFeed(body, c.file, { includeReplacements: true });
    // Assess
    expect(result.format).toBe(c.format);
    expect({ papers: result.papers.length, skipped: result.skipped }).toEqual({
      papers: c.papers,
      skipped: c.skipped,
    });
    expect({ papers: withReplacements.papers.length, skipped: withReplacements.skipped }).toEqual(
      c.withReplacements,
    );
    if (c.first) expect(result.papers[0]).toMatchObject(c.first);
  });

  it.each(cases.filter((c) => c.papers > 0))("$file: every paper is clean and linked", async (c) => {
    // Act
    const { papers } = await parseFeed(read(FEEDS, c.file), c.file);
    // Assess
    for (const paper of papers) {
      expect(paper.id).toMatch(/^(\d{4}\.\d{4,5}|[a-z-]+\/\d{7})$/);
      expect(paper.title).not.toMatch(/^\s|\s$|\s{2}|[<>]|&[a-z]+;/);
      expect(paper.abstract.length).toBeGreaterThan(0);
      expect(paper.links.abs).toBe(abs(paper.id));
      for (const url of Object.values(paper.links)) expect(url).toMatch(/^https?:\/\//);
      if (paper.thumbnail) expect(paper.thumbnail).toMatch(/^https:\/\//);
      expect(paper.sources).toHaveLength(1);
      expect(new Set(paper.categories).size).toBe(paper.categories.length);
    }
  });

  it("the arXiv API error response is a FeedError naming the origin and arXiv's message", async () => {
    // Prepare
    const file = "arxiv_api_atom_2026-04_id_list_abc_error.xml";
    // Act
    const parsing = parseFeed(read(FEEDS, file), file);
    // Assess
    await expect(parsing).rejects.toBeInstanceOf(FeedError);
    await expect(parsing).rejects.toThrow(
      `${file}: the arXiv API answered with an error: incorrect id format for abc`,
    );
  });

  it("repairs UTF-8-read-as-Latin-1 author names in the recorded arXiv API response", async () => {
    // Act
    const { papers } = await parseFeed(read(FEEDS, "arxiv_api_atom_2026-04_id_list_1707.08567.xml"), "f");
    // Assess
    expect(papers[0]?.authors).toHaveLength(34);
    expect(papers[0]?.authors).toContain("Dirk Wübben");
  });

  it("the RDF feed marks CROSS LISTED as cross and UPDATED as a replacement, ids from the title", async () => {
    // Prepare
    const file = "arxiv_rss1_rdf_2021-07-08_hep-ex_abstracts-redacted.xml";
    // Act
    const { papers, warnings } = await parseFeed(read(FEEDS, file), file, { includeReplacements: true });
    const byDefault = await parseFeed(read(FEEDS, file), file);
    // Assess
    expect(papers.map((p) => [p.id, p.version, p.announceType, p.categories])).toEqual([
      ["2107.03419", 1, "new", ["hep-ex"]],
      ["2106.00550", 2, "cross", ["math.GR"]],
      ["2007.03939", 2, "replace", ["hep-ph"]],
    ]);
    expect(papers[2]?.authors).toEqual([
      "Partha Pratim Bhaduri",
      "Mubarak Alqahtani",
      "Nicolas Borghini",
      "Amaresh Jaiswal",
      "Michael Strickland",
    ]);
    expect(warnings).toEqual([]);
    expect(byDefault.warnings).toEqual(["1 replacement announcement skipped (includeReplacements is off)"]);
  });

  it("arXiv RSS 2.0: announce type, categories in feed order, abstract without the 'arXiv:… Announce Type' prefix", async () => {
    // Prepare
    const file = "arxiv_rss2_2026_trimmed_cs_lg.xml";
    // Act
    const { papers } = await parseFeed(read(FEEDS, file), file);
    // Assess
    expect(papers[0]).toMatchObject({
      id: "2604.21952",
      version: 1,
      announceType: "new",
      categories: ["cs.LG", "cs.AI", "cs.AR", "cs.NE", "cs.RO"],
      publishedAt: "2026-04-27T04:00:00.000Z",
      sources: ["arxiv:cs.LG"],
    });
    expect(papers[0]?.abstract).toMatch(/^This work presents a multi-layered methodology/);
    expect(papers[0]?.abstract).toContain("visual resolution & stride");
  });

  it("third-party HF feeds: the AI summary is split from the abstract; an item without one keeps it all", async () => {
    // Prepare
    const file = "hf_papers_thirdparty_jsonfeed1_2026-08-22.json";
    // Act
    const { papers } = await parseFeed(read(FEEDS, file), file);
    // Assess
    expect(papers[0]?.abstract).toMatch(/^LLM agents learn by interacting with environments/);
    const plain = papers.find((p) => p.id === "2608.19861");
    expect(plain?.aiSummary).toBeUndefined();
    expect(plain?.abstract).toMatch(/^Customer-service LLM agents must follow/);
  });

  it.each([
    [false, 3, 2, ["2608.15265", "2608.16859", "2608.19999"]],
    [true, 5, 0, ["2608.15265", "2608.16859", "2608.16798", "2608.15930", "2608.19999"]],
  ])(
    "synthetic arXiv RSS (includeReplacements %s): %i papers, %i skipped",
    async (includeReplacements, count, skipped, ids) => {
      // Prepare
      const file = "arxiv_rss2_cs_ai_2026-08-18_shares_ids_with_hf.xml";
      // Act
      const result = await parseFeed(read(SYNTHETIC, file), file, { includeReplacements });
      // Assess
      expect(result.papers).toHaveLength(count);
      expect(result.skipped).toBe(skipped);
      expect(result.papers.map((p) => p.id)).toEqual(ids);
      expect(result.papers.find((p) => p.id === "2608.16859")?.abstract).toBe(
        "A benchmark should deliver more than a scalar score.",
      );
    },
  );

  it("sourceName overrides the derived source name", async () => {
    // Act
    const { papers } = await parseFeed(read(FEEDS, "arxiv_rss2_2026_trimmed_cs_ai.xml"), "f", {
      sourceName: "my-arxiv",
    });
    // Assess
    expect(papers.every((p) => p.sources.join() === "my-arxiv")).toBe(true);
  });
});
