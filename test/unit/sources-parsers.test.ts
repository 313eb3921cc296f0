/** Each parser alone: bad entries are skipped and counted (never thrown), unsafe links dropped. */
import { describe, expect, it } from "vitest";
import { parseArxivAtom } from "../../shared/sources/arxiv-atom.js";
import { parseArxivRss } from "../../shared/sources/arxiv-rss.js";
import { parseHuggingFaceDailyPapers } from "../../shared/sources/huggingface.js";
import { parseJsonFeed, parseRss, splitHuggingFaceText } from "../../shared/sources/rss.js";

const options = { origin: "test" };

function hfEntry(
  paper: Record<string, unknown>,
  outer: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    paper: {
      id: "2608.15265",
      title: "A title",
      summary: "An abstract.",
      authors: [{ name: "Ada" }],
      ...paper,
    },
    ...outer,
  };
}

describe("parseHuggingFaceDailyPapers", () => {
  it("skips and counts bad entries, keeps the good ones", () => {
    // Prepare
    const body = JSON.stringify([
      hfEntry({}),
      { nopaper: true },
      hfEntry({ id: "not-an-id" }),
      hfEntry({ id: "2608.16859", title: "  ", summary: "x" }),
      "a string",
      hfEntry({ id: "2608.16798" }),
    ]);
    // Act
    const result = parseHuggingFaceDailyPapers(body, options);
    // Assess
    expect(result.papers.map((p) => p.id)).toEqual(["2608.15265", "2608.16798"]);
    expect(result.skipped).toBe(4);
    expect(result.warnings).toEqual([
      "entry 1: paper: expected object, received undefined",
      'entry 2: paper.id "not-an-id" is not an arXiv id',
      "entry 3: 2608.16859: no title",
      "entry 4: expected object, received string",
    ]);
  });

  it("caps warnings at five plus a count of the rest", () => {
    // Prepare
    const body = JSON.stringify(Array.from({ length: 9 }, () => ({})));
    // Act
    const result = parseHuggingFaceDailyPapers(body, options);
    // Assess
    expect(result.skipped).toBe(9);
    expect(result.warnings).toHaveLength(6);
    expect(result.warnings[5]).toBe("… and 4 more skipped");
  });

  it.each([
    [
      "unsafe code/project links are dropped",
      hfEntry({ githubRepo: "javascript:alert(1)", projectPage: "data:text/html,x" }),
      {},
      ["links.code", "links.project"],
    ],
    [
      "null fields are tolerated",
      hfEntry({ githubRepo: null, ai_summary: null, upvotes: null }),
      {},
      ["upvotes", "aiSummary", "links.code"],
    ],
    [
      "an http thumbnail is refused; the first https image among mediaUrls is used (videos are not)",
      hfEntry(
        {},
        {
          thumbnail: "http://insecure.example/t.png",
          mediaUrls: ["https://cdn.example/v.mp4", "https://cdn.example/i.gif"],
        },
      ),
      { thumbnail: "https://cdn.example/i.gif" },
      [],
    ],
    [
      "keywords that are not strings are dropped, text is cleaned",
      hfEntry({ ai_keywords: ["RL", 3, null, " <b>LLMs</b> "], title: "Tom &amp; Jerry\n  go", authors: [] }),
      { aiKeywords: ["RL", "LLMs"], title: "Tom & Jerry go", authors: [] },
      [],
    ],
    [
      "the outer title and summary are used when the paper has none (older schema)",
      { paper: { id: "2405.15738", authors: [] }, title: "Outer", summary: "Outer abstract" },
      { id: "2405.15738", title: "Outer", abstract: "Outer abstract" },
      ["thumbnail"],
    ],
  ])("%s", (_name, entry, expected, absent) => {
    // Act
    const result = parseHuggingFaceDailyPapers(JSON.stringify([entry]), options);
    // Assess
    expect(result.skipped).toBe(0);
    expect(result.papers[0]).toMatchObject(expected);
    for (const key of absent) expect(result.papers[0]).not.toHaveProperty(key);
  });

  it("a JSON object is a FeedError, not a crash", () => {
    expect(() => parseHuggingFaceDailyPapers('{"error":"x"}', options)).toThrow(
      /test: not a recognized feed/,
    );
  });
});

function arxivItem(fields: {
  title?: string;
  guid?: string;
  link?: string;
  description: string;
  type?: string;
}) {
  return `<item>${fields.title === undefined ? "" : `<title>${fields.title}</title>`}
${fields.link ? `<link>${fields.link}</link>` : ""}<description>${fields.description}</description>
${fields.guid ? `<guid isPermaLink="false">${fields.guid}</guid>` : ""}
${fields.type ? `<arxiv:announce_type>${fields.type}</arxiv:announce_type>` : ""}<dc:creator>A. One, B. Two</dc:creator></item>`;
}

const arxivRss = (items: string[]) =>
  `<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0"><channel>
<title>cs.AI updates on arXiv.org</title><link>http://rss.arxiv.org/rss/cs.AI</link>${items.join("\n")}</channel></rss>`;

describe("parseArxivRss", () => {
  it("reads the id and announce type from the description when guid and element are missing", () => {
    // Prepare
    const body = arxivRss([
      arxivItem({
        title: "Only a description",
        description: "arXiv:2604.00001v3 Announce Type: cross \nAbstract: Text.",
      }),
    ]);
    // Act
    const result = parseArxivRss(body, options);
    // Assess
    expect(result.papers[0]).toMatchObject({
      id: "2604.00001",
      version: 3,
      announceType: "cross",
      abstract: "Text.",
    });
    expect(result.papers[0]?.authors).toEqual(["A. One", "B. Two"]);
  });

  it("skips items without id or title, and replacements unless asked", () => {
    // Prepare
    const body = arxivRss([
      arxivItem({ title: "No id", description: "nothing here" }),
      arxivItem({ description: "arXiv:2604.00002v1 Announce Type: new \nAbstract: no title" }),
      arxivItem({
        title: "Replaced",
        guid: "oai:arXiv.org:2604.00003v2",
        description: "x",
        type: "replace-cross",
      }),
      arxivItem({ title: "Kept", guid: "oai:arXiv.org:2604.00004v1", description: "x", type: "new" }),
    ]);
    // Act
    const result = parseArxivRss(body, options);
    const withReplacements = parseArxivRss(body, { ...options, includeReplacements: true });
    // Assess
    expect(result.papers.map((p) => p.id)).toEqual(["2604.00004"]);
    expect(result.skipped).toBe(3);
    expect(result.warnings).toEqual([
      "item 1: no arXiv id in guid, description or link",
      "item 2: title: expected string, received undefined",
      "1 replacement announcement skipped (includeReplacements is off)",
    ]);
    expect(withReplacements.papers.map((p) => [p.id, p.announceType])).toEqual([
      ["2604.00003", "replace-cross"],
      ["2604.00004", "new"],
    ]);
  });
});

describe("parseArxivAtom", () => {
  it("skips entries whose id is not an arXiv link; primary category first, deduplicated", () => {
    // Prepare
    const body = `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
<entry><id>https://example.com/x</id><title>Not arXiv</title></entry>
<entry><id>http://arxiv.org/abs/hep-ex/0307015v2</id><title>Old  style</title><summary> S &amp; T </summary>
<category term="physics.ins-det"/><category term="hep-ex"/><arxiv:primary_category term="hep-ex"/>
<author><name>A. One</name></author></entry></feed>`;
    // Act
    const result = parseArxivAtom(body, options);
    // Assess
    expect(result.skipped).toBe(1);
    expect(result.papers[0]).toMatchObject({
      id: "hep-ex/0307015",
      version: 2,
      title: "Old style",
      abstract: "S & T",
      categories: ["hep-ex", "physics.ins-det"],
      authors: ["A. One"],
    });
  });
});

describe("generic RSS and JSON Feed", () => {
  it("JSON Feed: url ids for other sites, unsafe links skipped, https images kept, authors read", () => {
    // Prepare
    const body = JSON.stringify({
      version: "https://jsonfeed.org/version/1.1",
      home_page_url: "https://lab.example.org/",
      items: [
        {
          id: "1",
          url: "https://lab.example.org/post",
          title: "Post",
          content_html: "<p>Hi</p>",
          image: "https://lab.example.org/i.png",
          authors: [{ name: "Ada" }],
        },
        { id: "2", url: "javascript:alert(1)", title: "Evil" },
        { id: "3", title: "No link at all" },
        {
          id: "4",
          url: "https://arxiv.org/abs/2604.21935v2",
          title: "Paper",
          content_text: "Abs",
          image: "http://x/i.png",
        },
        { id: "5", url: "https://lab.example.org/untitled" },
      ],
    });
    // Act
    const result = parseJsonFeed(body, options);
    // Assess
    expect(result.skipped).toBe(3);
    expect(result.papers).toHaveLength(2);
    expect(result.papers[0]).toMatchObject({
      id: expect.stringMatching(/^url:/),
      abstract: "Hi",
      thumbnail: "https://lab.example.org/i.png",
      authors: ["Ada"],
      links: { abs: "https://lab.example.org/post" },
      sources: ["rss:lab.example.org"],
    });
    expect(result.papers[1]).toMatchObject({ id: "2604.21935", version: 2, abstract: "Abs" });
    expect(result.papers[1]?.thumbnail).toBeUndefined();
  });

  it("RSS: javascript: links are never kept; the guid link is used when <link> is unsafe", async () => {
    // Prepare
    const body = `<rss version="2.0"><channel><title>t</title><link>https://example.org/</link>
<item><title>Evil</title><link>javascript:alert(1)</link></item>
<item><title>Guid</title><link>javascript:alert(1)</link><guid>https://example.org/ok</guid><description>&lt;script&gt;x()&lt;/script&gt;Body</description></item>
</channel></rss>`;
    // Act
    const result = await parseRss(body, options);
    // Assess
    expect(result.skipped).toBe(1);
    expect(result.papers[0]).toMatchObject({
      title: "Guid",
      abstract: "Body",
      links: { abs: "https://example.org/ok" },
    });
  });

  it("Atom: one entry with an unreadable date does not lose the feed", async () => {
    // Prepare
    const body = `<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><link href="https://e.org/"/>
<entry><title>A</title><link href="https://e.org/a"/><published>garbage</published><updated>2026-08-18T00:00:00Z</updated></entry>
<entry><title>B</title><link href="https://e.org/b"/><published>2026-08-17T00:00:00Z</published></entry></feed>`;
    // Act
    const result = await parseRss(body, options);
    // Assess
    expect(result.papers.map((p) => [p.title, p.publishedAt])).toEqual([
      ["A", "2026-08-18T00:00:00.000Z"],
      ["B", "2026-08-17T00:00:00.000Z"],
    ]);
  });

  it.each([
    [
      "Abstract Summary here.  Generated by org/model The abstract.",
      { aiSummary: "Summary here.", abstract: "The abstract." },
    ],
    ["Abstract  Only the abstract.", { abstract: "Only the abstract." }],
    ["No prefix at all.", { abstract: "No prefix at all." }],
  ])("splitHuggingFaceText(%j)", (text, expected) => {
    expect(splitHuggingFaceText(text)).toEqual(expected);
  });
});
