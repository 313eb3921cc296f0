import { describe, expect, it } from "vitest";
import { seededRandom } from "../../bench/workload.js";
import { initialName, splitSentences } from "../../shared/render/format.js";
import { formatSubject, shortenAtWord, shortenAuthors, tldr } from "../../shared/render/index.js";
import { paperView, toPaperView } from "../../shared/render/paper-view.js";
import { hfDayPapers } from "../support/browser.js";

describe("formatSubject", () => {
  it("matches the issue's example", () => {
    expect(
      formatSubject(
        "Paperboy",
        "2026-08-18",
        7,
        "VibeWorlding: Can Multimodal Agents Construct 3D Open Worlds End-to-End?",
      ),
    ).toBe("Paperboy · Tue 18 Aug · 7 papers — VibeWorlding: Can Multimodal Agents Construct 3D…");
  });

  it.each([
    [1, "Short title", "Paperboy · Tue 18 Aug · 1 paper — Short title"],
    [0, undefined, "Paperboy · Tue 18 Aug · no new papers today"],
    [3, "A title\r\nBcc: x@example.org", "Paperboy · Tue 18 Aug · 3 papers — A title Bcc: x@example.org"],
  ])("%i papers, %s", (count, title, expected) => {
    expect(formatSubject("Paperboy", "2026-08-18", count, title)).toBe(expected);
  });

  it("rejects a date that is not YYYY-MM-DD", () => {
    expect(() => formatSubject("Paperboy", "2026-02-30", 1, "x")).toThrow(/YYYY-MM-DD/);
  });
});

describe("shortenAtWord", () => {
  it.each([
    ["short", 10, "short"],
    ["Large Language Models: a Survey of Everything", 24, "Large Language Models…"],
    ["Cut right here, then more", 15, "Cut right here…"],
    ["Supercalifragilisticexpialidocious", 10, "Supercali…"],
    ["Foo — bar baz qux", 8, "Foo…"],
    ["Scaling Laws for the Training of Sparse Models", 30, "Scaling Laws for the Training…"],
  ])("%s (%i)", (input, max, expected) => {
    const out = shortenAtWord(input, max);
    expect(out).toBe(expected);
    expect(Array.from(out).length).toBeLessThanOrEqual(max);
  });
});

describe("shortenAuthors", () => {
  it.each([
    [["Yansong Ning"], "Y. Ning"],
    [["Ada Lovelace", "Alan Turing"], "A. Lovelace, A. Turing"],
    [["A B", "C D", "E F", "G H"], "A. B, C. D, E. F, G. H"],
    [
      ["Jean-Pierre Serre", "Mary Ann Smith", "Qi", "X Y", "Z W", "U V", "T S", "R Q"],
      "J.-P. Serre, M. A. Smith, Qi, … +5",
    ],
    [["van der Waals"], "van der Waals"],
    [[], ""],
  ])("%j", (authors, expected) => {
    expect(shortenAuthors(authors)).toBe(expected);
  });

  it("shortens only the names it shows and counts the rest as the full list would", () => {
    // The reference: every name shortened, empty ones dropped, then cut.
    const reference = (authors: string[], show: number) => {
      const names = authors.map(initialName).filter(Boolean);
      if (names.length <= show + 1) return names.join(", ");
      return `${names.slice(0, show).join(", ")}, … +${names.length - show}`;
    };
    const NAMES = [
      "Ada Lovelace",
      "",
      "   ",
      "\u202e",
      "Qi",
      "Jean-Pierre Serre",
      "\tTab Name",
      "Zoë Ørsted",
      "x",
    ];
    const next = seededRandom(3);
    for (let round = 0; round < 3000; round++) {
      const authors = Array.from(
        { length: Math.floor(next() * 9) },
        () => NAMES[Math.floor(next() * NAMES.length)] ?? "",
      );
      const show = Math.floor(next() * 4);
      expect(shortenAuthors(authors, show), JSON.stringify({ authors, show })).toBe(reference(authors, show));
    }
  });
});

describe("splitSentences", () => {
  it("with a limit gives the first sentences of the whole split, unchanged", () => {
    for (const paper of hfDayPapers()) {
      const all = splitSentences(paper.abstract);
      for (const limit of [1, 2, 3])
        expect(splitSentences(paper.abstract, limit)).toEqual(all.slice(0, limit));
    }
  });
});

describe("paperView", () => {
  it("is made once per paper, frozen, and topics go on a copy", () => {
    const [paper] = hfDayPapers();
    if (!paper) throw new Error("fixture is empty");
    const view = paperView(paper);
    expect(paperView(paper)).toBe(view);
    expect(Object.isFrozen(view)).toBe(true);
    const withTopics = toPaperView(paper, ["Agents", " "], "Also in");
    expect(withTopics).toMatchObject({ ...view, chips: ["Agents"], chipsLabel: "Also in" });
    expect(view.chips).toEqual([]);
    expect(toPaperView(paper, [], "Also in").chipsLabel).toBeUndefined();
  });
});

describe("tldr", () => {
  it("prefers the HF AI summary", () => {
    expect(tldr({ aiSummary: "  The summary.  ", abstract: "The abstract." })).toBe("The summary.");
  });

  it.each([
    [
      "We study X, e.g. in vision. Results are 3.5 times better than Smith et al. in Fig. 2. Third sentence.",
      "We study X, e.g. in vision. Results are 3.5 times better than Smith et al. in Fig. 2.",
    ],
    ["Short one. Another short one. A third.", "Short one. Another short one."],
    [`${"Long first sentence ".repeat(9)}ends. Second.`, `${"Long first sentence ".repeat(9)}ends.`],
    [`${"word ".repeat(100)}end.`, `${"word ".repeat(64).trim()}…`],
  ])("%s", (abstract, expected) => {
    expect(tldr({ abstract })).toBe(expected);
  });
});
