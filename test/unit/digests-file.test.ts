import { describe, expect, it } from "vitest";
import type { Paper } from "../../shared/domain/paper.js";
import type { Digest } from "../../shared/domain/tagging.js";
import {
  DIGESTS_FORMAT,
  DigestsFileError,
  decodeDigestsFile,
  encodeDigestsFile,
} from "../../shared/pipeline/digests-file.js";
import type { DigestsFile } from "../../shared/pipeline/stages.js";

const KEY = "results/2026-08-18/digests.json";
const ABSTRACT = "We study agents that plan over long horizons with a learned world model. ".repeat(8);

function paper(id: string, over: Partial<Paper> = {}): Paper {
  return {
    id,
    version: 2,
    title: `Planning agents ${id}`,
    abstract: `${ABSTRACT}(${id})`,
    authors: ["Ada Lovelace", "Alan Turing"],
    categories: ["cs.AI"],
    links: { abs: `https://arxiv.org/abs/${id}` },
    sources: ["arxiv:cs.AI"],
    ...over,
  };
}

/** `readers` readers, each given every paper (in turns, so the lists differ in order). */
function day(papers: Paper[], readers: number): DigestsFile {
  const digests: Digest[] = Array.from({ length: readers }, (_, r) => ({
    date: "2026-08-18",
    subscriber: { email: `r${r}@example.org`, ...(r % 2 ? { name: `Reader ${r}` } : {}), topics: ["agents"] },
    items: papers.map((_, i) => {
      const p = papers[(i + r) % papers.length] as Paper;
      return { paper: p, score: 0.9 - i / 100, topics: ["agents"], why: `Matched agents in ${p.id}.` };
    }),
  }));
  return { date: "2026-08-18", missingSources: ["arxiv:cs.CL"], staleSources: [], digests };
}

describe("the digests file", () => {
  it("reads back what was written, with one shared Paper per id", () => {
    // Prepare
    const file = day([paper("2608.00001"), paper("2608.00002"), paper("2608.00003", { upvotes: 7 })], 4);

    // Act
    const back = decodeDigestsFile(encodeDigestsFile(file), KEY);

    // Assess
    expect(back).toEqual(file);
    const first = back.digests[0]?.items.find((i) => i.paper.id === "2608.00002")?.paper;
    const later = back.digests[3]?.items.find((i) => i.paper.id === "2608.00002")?.paper;
    expect(first).toBeDefined();
    expect(later).toBe(first);
  });

  it("stores each paper once, so the file grows with readers' items, not with their abstracts", () => {
    const papers = Array.from({ length: 10 }, (_, i) => paper(`2608.${String(i).padStart(5, "0")}`));
    const small = encodeDigestsFile(day(papers, 10));
    const large = encodeDigestsFile(day(papers, 1000));
    expect(large.split(ABSTRACT).length - 1).toBe(10);
    // 100× the readers: the ten abstracts (~6 KB each) are written once in both files.
    const perReader = (large.length - small.length) / 990;
    expect(perReader).toBeLessThan(1500);
    expect(large.length).toBeLessThan(1000 * 10 * ABSTRACT.length * 0.3);
    expect(JSON.parse(large)).toMatchObject({ format: DIGESTS_FORMAT });
  });

  it("lists only the papers some digest shows", () => {
    const file = day([paper("2608.00001")], 2);
    const body = encodeDigestsFile({
      ...file,
      digests: [...file.digests, { ...file.digests[0], items: [] } as Digest],
    });
    expect((JSON.parse(body) as { papers: Paper[] }).papers.map((p) => p.id)).toEqual(["2608.00001"]);
    expect(JSON.parse(encodeDigestsFile({ ...file, digests: [] }))).toMatchObject({
      papers: [],
      digests: [],
    });
  });

  it("still reads a file written before the papers table (format 1, papers inline)", () => {
    const file = day([paper("2608.00001"), paper("2608.00002")], 3);
    expect(decodeDigestsFile(JSON.stringify(file), KEY)).toEqual(file);
  });

  it("names the file and the item when an item refers to a paper the file does not list", () => {
    const body = JSON.parse(encodeDigestsFile(day([paper("2608.00001"), paper("2608.00002")], 2))) as {
      papers: Paper[];
    };
    body.papers = body.papers.filter((p) => p.id !== "2608.00002");
    expect(() => decodeDigestsFile(JSON.stringify(body), KEY)).toThrow(DigestsFileError);
    expect(() => decodeDigestsFile(JSON.stringify(body), KEY)).toThrow(
      `${KEY}: digests[0].items[1] refers to paper "2608.00002", which the file's "papers" does not list`,
    );
  });

  it.each([
    ["not JSON", "{", `${KEY}: not JSON`],
    ["no digests", JSON.stringify({ date: "2026-08-18" }), `${KEY}: not a digests file (no "digests" list)`],
    [
      "a newer format",
      JSON.stringify({ format: 3, digests: [] }),
      `${KEY}: digests file format 3; this version reads 1 and 2`,
    ],
    [
      "format 2 without papers",
      JSON.stringify({ format: 2, digests: [] }),
      `${KEY}: format 2 without a "papers" list`,
    ],
    [
      "a digest without items",
      JSON.stringify({ format: 2, papers: [], digests: [{}] }),
      `${KEY}: digests[0] has no "items" list`,
    ],
  ])("rejects %s with a one-line error naming the file", (_, body, message) => {
    expect(() => decodeDigestsFile(body, KEY)).toThrow(message);
  });
});
