/**
 * readPlainXml against the reference it stands in for (XMLValidator + fast-xml-parser, parseXmlDocument):
 * whatever it reads must be valid XML to the validator and come out as the very same objects, key order
 * included; whatever it is unsure of it must leave alone. Checked on the fixtures, hand-written edge
 * cases, random documents and thousands of mutated feeds.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { readPlainXml } from "../../shared/sources/plain-xml.js";
import { parseXmlDocument, REPEATED_ELEMENTS } from "../../shared/sources/xml.js";

const FEEDS = resolve(import.meta.dirname, "../fixtures/feeds");
const fixture = (name: string) => readFileSync(resolve(FEEDS, name), "utf8");

/** The reference reading, or "invalid" when the validator or the parser refuses the document. */
function reference(xml: string): string {
  try {
    return JSON.stringify(parseXmlDocument(xml, "test"));
  } catch {
    return "invalid";
  }
}

/** readPlainXml's reading as JSON (key order matters), or undefined when it left the document alone. */
function plain(xml: string): string | undefined {
  const value = readPlainXml(xml, REPEATED_ELEMENTS);
  return value === undefined ? undefined : JSON.stringify(value);
}

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("readPlainXml", () => {
  it.each([
    "arxiv_rss2_2026_trimmed_cs_ai.xml",
    "arxiv_rss2_2026_trimmed_cs_cl.xml",
    "arxiv_rss2_2026_trimmed_cs_lg.xml",
    "arxiv_rss1_rdf_2021-07-08_hep-ex_abstracts-redacted.xml",
    "arxiv_api_atom_2026-04_search_all-testing_10results.xml",
    "arxiv_api_atom_2026-04_id_list_abc_error.xml",
    "arxiv_api_atom_legacy2016_search_au-del_maestro.xml",
    "hf_papers_thirdparty_rss2_2026-08-22.xml",
  ])("reads %s itself, as fast-xml-parser does", (name) => {
    // Prepare
    const xml = fixture(name);
    // Act
    const read = plain(xml);
    // Assess
    expect(read).toBeDefined();
    expect(read).toBe(reference(xml));
  });

  it.each([
    ["empty element", "<a></a>", true],
    ["self-closing root", "<a/>", true],
    ["text with references", "<a> x &amp; y &#38; &#x26; &lt;b&gt; </a>", true],
    ["attributes and text", `<a x="1" y='two "2"'>t</a>`, true],
    ["attributes only", `<a><b href=" u "/><b href="v" /></a>`, true],
    ["repeated elements become arrays", "<r><item>1</item></r>", true],
    ["a second child makes an array", "<r><x>1</x><x>2</x><y/></r>", true],
    ["mixed content", "<r> a <b>x</b> c <b>y</b> d </r>", true],
    ["CDATA kept untrimmed", "<r> a <![CDATA[ <b> & ]]> c </r>", true],
    ["empty CDATA", "<r><![CDATA[]]></r>", true],
    ["declaration", `<?xml version="1.0" encoding='UTF-8'?>\n<r>x</r>\n`, true],
    ["CR LF line ends", '<?xml version="1.0"?>\r\n<r a="1\r\n2">x\r\ny\rz</r>\r\n', true],
    ["space before the closing '>'", "<r><a >x</a ><b\n/></r>", true],
    ["tabs and newlines between attributes", `<r\ta="1"\n\tb="2">x</r>`, true],
    ["'>' in an attribute value", `<r a="x>y">z</r>`, true],
    ["comment", "<r><!-- c -->x</r>", false],
    ["DOCTYPE", "<!DOCTYPE r><r/>", false],
    ["processing instruction", "<r><?pi x?></r>", false],
    ["space around '='", `<r a = "1"/>`, false],
    ["unquoted attribute", "<r a=1/>", false],
    ["duplicate attribute", `<r a="1" a="2"/>`, false],
    ["'<' in an attribute value", `<r a="<"/>`, false],
    ["bare '&'", "<r>a & b</r>", false],
    ["reference without a name", "<r>&#;</r>", false],
    ["unclosed element", "<r><a></r>", false],
    ["mismatched closing tag", "<r><a></b></r>", false],
    ["two roots", "<r/><s/>", false],
    ["text after the root", "<r/>x", false],
    ["text before the root", "x<r/>", false],
    ["declaration not at the start", ` <?xml version="1.0"?><r/>`, false],
    ["prototype-polluting element", "<r><__proto__>x</__proto__></r>", false],
    ["renamed element", "<r><toString>x</toString></r>", false],
    ["non-ASCII element name", "<r><é>x</é></r>", false],
    ["deep nesting", `${"<a>".repeat(70)}${"</a>".repeat(70)}`, false],
    ["many attributes", `<r${Array.from({ length: 40 }, (_, i) => ` a${i}="${i}"`).join("")}/>`, false],
  ])("%s: read itself = %s, and then as fast-xml-parser reads it", (_, xml, readsItself) => {
    // Act
    const read = plain(xml);
    // Assess
    expect(read !== undefined).toBe(readsItself);
    if (read !== undefined) expect(read).toBe(reference(xml));
  });

  it("reads random documents as fast-xml-parser does", () => {
    // Prepare: small trees of feed-like names, attributes, text, references, CDATA and odd spacing.
    const next = random(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
    const names = ["item", "title", "link", "category", "x", "dc:creator", "a-b.c", "_u"];
    const texts = [
      "",
      " ",
      "\n  ",
      "t",
      " two words ",
      "a &amp; b",
      "&#233;",
      "\u00a0nbsp\u00a0",
      "]]>",
      ">",
    ];
    const element = (depth: number): string => {
      const name = pick(names);
      const attrs = Array.from(
        { length: Math.floor(next() * 3) },
        (_, i) => `${pick([" ", "\n", "\t "])}a${i}=${pick([`"v${i} "`, `' w'`, `""`])}`,
      ).join("");
      if (depth > 3 || next() < 0.2) return `<${name}${attrs}${pick(["/>", " />"])}`;
      const parts = Array.from({ length: Math.floor(next() * 4) }, () => {
        const r = next();
        if (r < 0.5) return element(depth + 1);
        if (r < 0.6) return `<![CDATA[${pick(texts)}]]>`;
        return pick(texts);
      });
      return `<${name}${attrs}>${parts.join("")}</${name}${pick(["", " ", "\n"])}>`;
    };
    let compared = 0;
    for (let n = 0; n < 2000; n++) {
      const xml = `${pick(["", '<?xml version="1.0"?>\n'])}${element(0)}${pick(["", "\n", " \n"])}`;
      // Act
      const read = plain(xml);
      // Assess
      if (read === undefined) continue;
      expect(read, xml).toBe(reference(xml));
      compared++;
    }
    expect(compared).toBeGreaterThan(1500);
  });

  it("reads only what the validator accepts, as fast-xml-parser does, in mutated feeds", () => {
    // Prepare: real feeds with random insertions, deletions and repeats, markup-like ones favoured.
    const next = random(42);
    const snippets = [
      "<",
      ">",
      "/",
      "=",
      '"',
      "'",
      "&",
      "&amp;",
      "&#38;",
      "&#x26;",
      "&#;",
      "&bogus",
      " ",
      "\t",
      "\n",
      "\r",
      "\r\n",
      "é",
      "\u00a0",
      "<![CDATA[ a < b ]]>",
      "<![CDATA[]]>",
      "<!-- note -->",
      "<?pi x?>",
      "<b>bold</b>",
      "<br/>",
      "<br />",
      `<x a="1" a="2"/>`,
      `<x a='1' b="2">t</x>`,
      "</item>",
      "<item>",
      ` xml:lang="en"`,
      "<__proto__/>",
      "<toString/>",
    ];
    const feeds = [
      "arxiv_rss2_2026_trimmed_cs_ai.xml",
      "arxiv_rss1_rdf_2021-07-08_hep-ex_abstracts-redacted.xml",
      "arxiv_api_atom_2026-04_id_list_1707.08567.xml",
    ].map(fixture);
    let accepted = 0;
    let refused = 0;
    for (let n = 0; n < 3000; n++) {
      let xml = feeds[n % feeds.length] as string;
      for (let edits = 1 + Math.floor(next() * 2); edits > 0; edits--) {
        const at = Math.floor(next() * xml.length);
        const r = next();
        if (r < 0.6) xml = xml.slice(0, at) + snippets[Math.floor(next() * snippets.length)] + xml.slice(at);
        else if (r < 0.8) xml = xml.slice(0, at) + xml.slice(at + 1 + Math.floor(next() * 3));
        else xml = xml.slice(0, at) + xml.slice(at, at + 12) + xml.slice(at);
      }
      // Act
      const read = plain(xml);
      // Assess
      if (read === undefined) {
        refused++;
        continue;
      }
      expect(read, xml).toBe(reference(xml));
      accepted++;
    }
    expect(accepted).toBeGreaterThan(300);
    expect(refused).toBeGreaterThan(300);
  });
});
