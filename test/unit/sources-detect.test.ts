/** parseFeed: recognition by content, refusals with one clear line, and hostile XML. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FeedError } from "../../shared/domain/errors.js";
import { parseArxivAtom } from "../../shared/sources/arxiv-atom.js";
import { parseArxivRdf } from "../../shared/sources/arxiv-rdf.js";
import { parseArxivRss } from "../../shared/sources/arxiv-rss.js";
import { parseFeed } from "../../shared/sources/detect.js";
import { parseRss } from "../../shared/sources/rss.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/feeds/${name}`, import.meta.url), "utf8");

describe("parseFeed refuses what is not a feed", () => {
  it.each([
    ["empty body", "", "the body is empty"],
    ["only whitespace and a BOM", "\uFEFF \n ", "the body is empty"],
    ["plain text", "Service Unavailable", 'starts with "Service Unavailable"'],
    ["binary", "\u0000\u0001PK", "binary data"],
    ["an HTML page", "<!DOCTYPE html><html><head><title>Hi</title></head></html>", "an HTML page"],
    ["truncated XML", fixture("arxiv_rss2_2026_trimmed_cs_ai.xml").slice(0, 1500), "malformed XML at line"],
    ["truncated JSON", fixture("hf_daily_papers_api_2026-08-18.json").slice(0, 500), "malformed JSON"],
    ["an API error object", '{"error":"Invalid date"}', "the server answered with an error: Invalid date"],
    [
      "another JSON object",
      '{"hello":"world"}',
      "a JSON object that is neither a JSON Feed nor HF daily papers",
    ],
    ["a JSON array of something else", "[1,2,3]", "a JSON array, but not Hugging Face daily papers"],
    ["a bare JSON value", "42", 'starts with "42"'],
    ["unknown XML root", "<svg xmlns='http://www.w3.org/2000/svg'></svg>", "XML with root <svg>"],
    ["XML prolog only", '<?xml version="1.0"?>', "XML without a root element"],
  ])("%s", async (_name, body, why) => {
    // Act
    const parsing = parseFeed(body, "feeds/today.xml");
    // Assess
    await expect(parsing).rejects.toBeInstanceOf(FeedError);
    await expect(parsing).rejects.toThrow(`feeds/today.xml: not a recognized feed (${why}`);
  });

  it("the message is one line", async () => {
    // Act
    const error = await parseFeed("<rss><channel><item>", "x.xml").catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(FeedError);
    expect((error as Error).message).not.toContain("\n");
  });
});

describe("parseFeed recognizes by content", () => {
  it("a BOM before the XML declaration is fine", async () => {
    // Act
    const result = await parseFeed(`\uFEFF${fixture("arxiv_rss2_2026_trimmed_cs_cl.xml")}`, "cl.xml");
    // Assess
    expect(result.format).toBe("arxiv-rss");
    expect(result.papers).toHaveLength(3);
  });

  it("an empty HF day ([]) is a valid empty result", async () => {
    // Act
    const result = await parseFeed("[]", "hf.json");
    // Assess
    expect(result).toEqual({ format: "hf-daily-papers", papers: [], skipped: 0, warnings: [] });
  });

  it("a generic Atom feed goes to the generic parser with url: ids for non-arXiv links", async () => {
    // Prepare
    const atom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Lab blog</title><link href="https://blog.example.org/"/><id>urn:x</id><updated>2026-08-18T00:00:00Z</updated>
  <entry><title>We released a &lt;b&gt;thing&lt;/b&gt;</title><link href="https://blog.example.org/thing"/>
    <id>urn:1</id><updated>2026-08-17T10:00:00Z</updated><summary type="html">&lt;p&gt;Details &amp;amp; more&lt;/p&gt;</summary></entry>
  <entry><title>Our arXiv paper</title><link href="http://arxiv.org/abs/2608.15265v1"/><id>urn:2</id><updated>2026-08-17T10:00:00Z</updated></entry>
</feed>`;
    // Act
    const result = await parseFeed(atom, "https://blog.example.org/atom.xml");
    // Assess
    expect(result.format).toBe("atom");
    expect(result.papers.map((p) => p.id)).toEqual([
      expect.stringMatching(/^url:[0-9a-f]{16}$/),
      "2608.15265",
    ]);
    expect(result.papers[0]).toMatchObject({
      title: "We released a thing",
      abstract: "Details & more",
      links: { abs: "https://blog.example.org/thing" },
      sources: ["rss:blog.example.org"],
      publishedAt: "2026-08-17T10:00:00.000Z",
    });
    expect(result.papers[1]).toMatchObject({
      version: 1,
      links: { abs: "https://arxiv.org/abs/2608.15265" },
    });
  });

  it("a generic RSS 1.0 (RDF) feed that is not arXiv's goes to the generic parser", async () => {
    // Prepare
    const rdf = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
  <channel rdf:about="https://news.example.org/"><title>News</title><link>https://news.example.org/</link></channel>
  <item rdf:about="https://news.example.org/1"><title>One</title><link>https://news.example.org/1</link><description>First</description></item>
</rdf:RDF>`;
    // Act
    const result = await parseFeed(rdf, "news.rdf");
    // Assess
    expect(result.format).toBe("rss");
    expect(result.papers[0]).toMatchObject({
      title: "One",
      abstract: "First",
      sources: ["rss:news.example.org"],
    });
  });
});

// A classic "billion laughs": 10^9 "lol"s if a parser expanded it.
const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>`;
const EXTERNAL_ENTITY = `<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>`;

const hostileBodies = {
  "arXiv RSS": `<rss version="2.0" xmlns:arxiv="http://arxiv.org/schemas/atom"><channel><title>cs.AI updates on arXiv.org</title><link>http://rss.arxiv.org/rss/cs.AI</link>
<item><title>&lol9;&xxe;</title><link>https://arxiv.org/abs/2604.21935</link><description>arXiv:2604.21935v1 Announce Type: new 
Abstract: &lol9;&xxe;</description><guid>oai:arXiv.org:2604.21935v1</guid></item></channel></rss>`,
  "arXiv Atom": `<feed xmlns="http://www.w3.org/2005/Atom"><id>https://arxiv.org/api/x</id>
<entry><id>http://arxiv.org/abs/1707.08567v1</id><title>&lol9;&xxe;</title><summary>&lol9;&xxe;</summary></entry></feed>`,
  "arXiv RDF": `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="http://arxiv.org/"><title>hep-ex updates on arXiv.org</title></channel>
<item rdf:about="http://arxiv.org/abs/2107.03419"><title>&lol9;&xxe; (arXiv:2107.03419v1 [hep-ex])</title><description>&lol9;</description></item></rdf:RDF>`,
  "generic RSS": `<rss version="2.0"><channel><title>t</title><link>https://example.org/</link>
<item><title>&lol9;&xxe;</title><link>https://example.org/a</link></item></channel></rss>`,
};

describe("hostile XML: entity bombs and external entities never expand", () => {
  const cases = Object.entries(hostileBodies).flatMap(([format, body]) => [
    [format, "billion laughs", `${BILLION_LAUGHS}\n${body}`],
    [format, "external entity", `${EXTERNAL_ENTITY}\n${body}`],
  ]);

  it.each(cases)("%s with %s: parseFeed refuses quickly with a FeedError", async (_format, _attack, body) => {
    // Prepare
    const started = Date.now();
    // Act
    const error = await parseFeed(body ?? "", "evil.xml").catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(FeedError);
    expect((error as Error).message).toMatch(/^evil\.xml: not a recognized feed \(.*DOCTYPE entities/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it.each([
    ["arXiv RSS", parseArxivRss, hostileBodies["arXiv RSS"]],
    ["arXiv Atom", parseArxivAtom, hostileBodies["arXiv Atom"]],
    ["arXiv RDF", parseArxivRdf, hostileBodies["arXiv RDF"]],
  ] as const)(
    "%s parser alone: entities in the body stay literal text, never file contents",
    (_name, parse, body) => {
      // Act: a body that uses entities without declaring them reaches the parser itself.
      const result = parse(body, { origin: "evil.xml" });
      // Assess
      const text = JSON.stringify(result.papers);
      expect(text).toContain("&lol9;");
      expect(text).not.toMatch(/root:|lollol/);
    },
  );

  it.each([
    ["arXiv RSS", parseArxivRss, hostileBodies["arXiv RSS"]],
    ["arXiv Atom", parseArxivAtom, hostileBodies["arXiv Atom"]],
    ["arXiv RDF", parseArxivRdf, hostileBodies["arXiv RDF"]],
  ] as const)("%s parser alone refuses declared entities too", (_name, parse, body) => {
    // Act
    const run = () => parse(`${BILLION_LAUGHS}\n${body}`, { origin: "evil.xml" });
    // Assess
    expect(run).toThrow(FeedError);
  });

  it("the generic RSS parser refuses declared entities before rss-parser sees them", async () => {
    // Act
    const parsing = parseRss(`${EXTERNAL_ENTITY}\n${hostileBodies["generic RSS"]}`, { origin: "evil.xml" });
    // Assess
    await expect(parsing).rejects.toThrow(/DOCTYPE entities/);
  });
});
