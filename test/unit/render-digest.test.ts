import { describe, expect, it } from "vitest";
import type { Paper } from "../../shared/domain/paper.js";
import type { Digest } from "../../shared/domain/tagging.js";
import { createDigestRenderer } from "../../shared/render/index.js";
import { hfDayPapers, sampleContext, sampleDigest, sampleTopics } from "../support/browser.js";

const CTX = sampleContext;

// Gmail clips a message body past about 102 KB; count in decimal kilobytes to stay on the safe side.
const GMAIL_CLIP_BYTES = 102_000;

/** Titles as they appear in the HTML (React escapes &, <, >, " and '). */
function htmlText(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#x27;");
}

function digestOf(items: Array<{ paper: Paper; topics: string[]; why?: string }>, topics: string[]): Digest {
  return {
    date: "2026-08-18",
    subscriber: { email: "ana@example.org", topics },
    items: items.map((item, at) => ({ ...item, score: 1 - at / 10, why: item.why ?? `why ${at}` })),
  };
}

describe("createDigestRenderer", () => {
  const papers = hfDayPapers();
  const [p0, p1, p2] = papers as [Paper, Paper, Paper];

  it("puts each paper once, under its best topic, with its other topics shown", () => {
    // Prepare
    const digest = digestOf(
      [
        { paper: p0, topics: ["vision", "agents"] },
        { paper: p1, topics: ["agents"] },
        { paper: p2, topics: ["agents", "reasoning"] },
        { paper: p1, topics: ["agents"] },
      ],
      ["agents", "vision"],
    );

    // Act
    const { html, text } = createDigestRenderer(CTX).render(digest);

    // Assess
    const headings = [...html.matchAll(/<h([23])[^>]*>(?:<a[^>]*>)?([^<]*)/g)].map((m) => `h${m[1]} ${m[2]}`);
    expect(headings).toEqual([
      "h2 Agents",
      `h3 ${htmlText(p1.title)}`,
      `h3 ${htmlText(p2.title)}`,
      "h2 Vision &amp; 3D",
      `h3 ${htmlText(p0.title)}`,
    ]);
    expect(text.indexOf("AGENTS")).toBeLessThan(text.indexOf(p1.title));
    expect(text.indexOf("VISION & 3D")).toBeLessThan(text.indexOf(p0.title));
    expect(text).toContain(`${p0.title}\n`);
    expect(text).toMatch(/Also in: Reasoning/);
    expect(text).toMatch(/Also in: Agents/);
    expect(text.split(p1.title).length - 1).toBe(1);
  });

  it("gives a one-topic reader no section headings and every topic on the paper", () => {
    const digest = digestOf([{ paper: p0, topics: ["agents", "vision"] }], ["agents"]);
    const { html, text } = createDigestRenderer(CTX).render(digest);
    expect(html).not.toMatch(/<h2[^>]*>Agents<\/h2>/);
    expect(html).toMatch(/<h2[^>]*><a[^>]*>VibeWorlding/);
    expect(text).toContain("Topics: Agents · Vision & 3D");
  });

  it("carries the same papers, links, notes and why-lines in the HTML and the text part", () => {
    const digest = sampleDigest(papers, ["agents", "vision", "reasoning"], 10);
    const { html, text } = createDigestRenderer(CTX).render(digest, {
      unsubscribeUrl: "https://paperboy.example/u?t=1",
    });
    for (const item of digest.items) {
      expect(html).toContain(htmlText(item.paper.title));
      expect(text).toContain(item.paper.title);
      expect(html).toContain(htmlText(item.why));
      expect(text).toContain(`Why: ${item.why}`);
      for (const url of Object.values(item.paper.links)) {
        expect(html).toContain(`href="${url}"`);
        expect(text).toContain(url);
      }
    }
    for (const part of [html, text]) {
      expect(part).toContain("Source arXiv cs.LG was unavailable today.");
      expect(part).toContain("https://paperboy.example/archive/2026-08-18/index.html");
      expect(part).toContain("https://paperboy.example/u?t=1");
    }
  });

  it("declares language, color schemes, viewport and alt text", () => {
    const { html } = createDigestRenderer(CTX).render(sampleDigest(papers));
    expect(html).toMatch(/^<!DOCTYPE html/);
    expect(html).not.toContain("{{pb:");
    expect(html).toContain('<html dir="ltr" lang="en">');
    expect(html).toContain('<meta name="color-scheme" content="light dark"/>');
    expect(html).toContain('<meta name="supported-color-schemes" content="light dark"/>');
    expect(html).toContain("@media (prefers-color-scheme: dark)");
    expect(html).toContain('<meta name="viewport"');
    for (const img of html.match(/<img[^>]*>/g) ?? []) expect(img).toMatch(/ alt="Thumbnail: [^"]+"/);
  });

  it("says so on a day with nothing, with the reader's note or a default one", () => {
    const renderer = createDigestRenderer({ ...CTX, notes: [] });
    const empty = digestOf([], ["agents"]);
    const withNote = renderer.render(empty, { note: "Nothing about Agents today." });
    const plain = renderer.render(empty);
    expect(withNote.subject).toBe("Paperboy · Tue 18 Aug · no new papers today");
    expect(withNote.html).toContain("Nothing about Agents today.");
    expect(withNote.text).toContain("Note: Nothing about Agents today.");
    expect(plain.text).toContain("Note: Nothing new matched your topics today.");
  });

  it("names the top-scoring paper in the subject", () => {
    const digest = digestOf(
      [
        { paper: p0, topics: ["agents"] },
        { paper: p1, topics: ["agents"] },
      ],
      ["agents"],
    );
    const second = digest.items[1];
    if (second) second.score = 2;
    expect(createDigestRenderer(CTX).render(digest).subject).toBe(
      "Paperboy · Tue 18 Aug · 2 papers — HarnessEval-W: Agentifying the Evaluation…",
    );
  });

  it("stays under Gmail's 102 KB clipping limit at 25 papers with long abstracts", () => {
    // Prepare: no AI summaries, so the TL;DR comes from long abstracts; long titles and author lists.
    const longPapers = Array.from({ length: 25 }, (_, at): Paper => {
      const base = papers[at % papers.length] as Paper;
      return {
        ...base,
        id: `2608.${String(90000 + at)}`,
        title: `${base.title} ${"and a much longer subtitle".repeat(3)}`,
        aiSummary: undefined,
        abstract: `${"This long opening sentence of an abstract keeps going with clause after clause, ".repeat(6)}end. ${base.abstract.repeat(4)}`,
        authors: Array.from({ length: 60 }, (_, n) => `Author Number${n} Surname${at}`),
        links: { ...base.links, code: "https://github.com/example/a-long-repository-name-for-testing" },
      };
    });
    const digest = sampleDigest(longPapers, ["agents", "vision", "reasoning"], 25);
    digest.subscriber.name = "Ana";

    // Act
    const { html } = createDigestRenderer(CTX).render(digest, {
      unsubscribeUrl: `https://paperboy.example/unsubscribe?token=${"x".repeat(200)}`,
    });

    // Assess
    expect(digest.items).toHaveLength(25);
    expect(Buffer.byteLength(html)).toBeLessThan(GMAIL_CLIP_BYTES);
  });

  it("assembles from cached blocks exactly what a fresh renderer renders", () => {
    // Prepare: a warm renderer that has seen the same papers in other readers' digests (other why-lines).
    const warm = createDigestRenderer(CTX);
    const readers = [
      sampleDigest(papers, ["agents", "vision", "reasoning"], 12),
      sampleDigest(papers.slice(3), ["agents"], 8),
      sampleDigest(papers, ["vision", "agents"], 20),
    ];
    for (const digest of readers) {
      for (const item of digest.items) item.why = `${item.why} for ${digest.subscriber.topics.join("+")}`;
      warm.render(digest);
    }

    // Act + Assess
    for (const digest of readers) {
      const fresh = createDigestRenderer(CTX).render(digest, {
        unsubscribeUrl: "https://paperboy.example/u?t=2",
      });
      expect(warm.render(digest, { unsubscribeUrl: "https://paperboy.example/u?t=2" })).toEqual(fresh);
    }
  });

  it("tells a paper's shown forms apart by why-line and by the topics on its pills, in any mix", () => {
    // Prepare: 250 readers over 8 papers, each paper shown with one of three why-lines (some equal in
    // text but made anew, as personalize makes "Also on" lines) and 0–4 topics in random orders.
    const ids = sampleTopics.map((t) => t.id).slice(0, 4);
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const pick = <T>(list: readonly T[]): T[] => list.filter(() => random(2) === 0).sort(() => random(3) - 1);
    const readers: Digest[] = Array.from({ length: 250 }, (_, r) => {
      const follows = pick(ids);
      return {
        date: "2026-08-18",
        subscriber: { email: `r${r}@example.org`, topics: follows.length ? follows : ["agents"] },
        items: pick(papers.slice(0, 8)).map((paper, at) => ({
          paper,
          score: 1 - at / 10,
          topics: pick(ids),
          why: ["Matches agents.", "Matches agents. Also on Vision.", ""][random(3)]?.concat("") ?? "",
        })),
      };
    });
    const warm = createDigestRenderer(CTX);

    // Act + Assess: each reader as a renderer that saw all the others before renders them, and as a new one.
    for (const digest of readers) warm.render(digest);
    for (const digest of readers) {
      const fresh = createDigestRenderer(CTX).render(digest);
      const again = warm.render(digest);
      expect(again.html).toBe(fresh.html);
      expect(again.text).toBe(fresh.text);
    }
  });

  it("renders a paper without why-line, thumbnail or links cleanly", () => {
    const bare: Paper = {
      ...p0,
      abstract: "",
      aiSummary: undefined,
      links: {},
      thumbnail: undefined,
      upvotes: undefined,
      authors: [],
    };
    const digest = digestOf([{ paper: bare, topics: ["agents"], why: "" }], ["agents"]);
    const { html, text } = createDigestRenderer(CTX).render(digest);
    expect(html).not.toContain('class="pb-why');
    expect(html).not.toContain("<img");
    expect(text).not.toContain("Why:");
    expect(html).not.toContain("TL;DR");
    expect(text).not.toContain("TL;DR");
    expect(html).toContain(htmlText(bare.title));
  });

  it("rejects a date that is not YYYY-MM-DD", () => {
    expect(() => createDigestRenderer({ ...CTX, date: "18 Aug" })).toThrow(/YYYY-MM-DD/);
  });
});
