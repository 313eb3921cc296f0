/**
 * readXmlTree (htmlparser2, falling back to fast-xml-parser for unusual markup) must give exactly what
 * fast-xml-parser gives, or fail with the same message: on the fixture feeds, the hostile corpus, tricky
 * markup put into a feed, and random mutations of the feeds that the validator still accepts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { readXmlTree, readXmlTreeWithFastXmlParser } from "../../shared/sources/xml.js";
import { hostileCorpus } from "../fixtures/hostile/corpus.js";

const FEEDS = resolve(import.meta.dirname, "../fixtures/feeds");
const feeds = readdirSync(FEEDS)
  .filter((name) => name.endsWith(".xml"))
  .map((name) => readFileSync(resolve(FEEDS, name), "utf8"));

/** The tree as JSON (key order included), or the error message. */
function outcome(read: (xml: string) => unknown, xml: string): string {
  try {
    return JSON.stringify(read(xml));
  } catch (error) {
    return `error: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function expectSameTree(xml: string): void {
  expect(outcome(readXmlTree, xml), JSON.stringify(xml.slice(0, 300))).toBe(
    outcome(readXmlTreeWithFastXmlParser, xml),
  );
}

// Markup and text the two readers could see differently: CDATA, comments (also "<!-->"), processing
// instructions and DOCTYPEs after the root starts, whitespace that only JavaScript counts as whitespace,
// unquoted and valueless attributes, names fast-xml-parser refuses or renames, self-closing tags, CR/LF.
const TRICKY = [
  "<![CDATA[x < y & z]]>",
  "<![CDATA[]]>",
  "<![CDATA[  ]]>",
  "<![CDATA[a]]]]>",
  "<![FOO[x]]>",
  "<!-- c -->",
  "<!-->",
  "<!--->",
  "x<!-->y-->z",
  "x<!--->y-->z",
  "<!-- a --->",
  "<?pi x?>",
  "<!DOCTYPE x>",
  "<!DOCTYPE rss [<!ELEMENT rss ANY>]>",
  "<!ENTITY e 'x'>",
  "<d>a<!-- c -->b</d>",
  "<d> a <![CDATA[ b ]]> c </d>",
  "<y>a<z/>b</y>",
  "<e/>",
  "<e />",
  "<y/ >",
  "<y a=\"1\"\tb='2'/>",
  "<y a='1'b='2'/>",
  '<y  a = "1" />',
  '<y a=" v "/>',
  "<y a='x>y'/>",
  "<y a=1/>",
  "<y a/>",
  "<y a='1'\u00a0b='2'/>",
  "<y\u000b>t</y>",
  "<y>t</y\u000b>",
  "<y\u000b>t</y\u000b>",
  "<y\u00a0/>",
  "<y\fa='1'/>",
  "<toString>x</toString>",
  "<valueOf a='1'/>",
  "<isPrototypeOf>i</isPrototypeOf>",
  "<constructor/>",
  "<__proto__>p</__proto__>",
  "<y __proto__='1'/>",
  "<item>i</item>",
  "<link href='h'/>",
  "<title a='1'>T</title>",
  "<a:b xmlns:a='u' a:c='1'>q</a:b>",
  "&amp; &lt;b&gt; &#65; &nbsp; &lol9;",
  "\r\n",
  "\r",
  "\u00a0x\u2028",
  `${"<d>".repeat(100)}x${"</d>".repeat(100)}`,
  `${"<d>".repeat(101)}<e/>${"</d>".repeat(101)}`,
  `${"<d>".repeat(101)}x${"</d>".repeat(101)}`,
];

describe("readXmlTree reads as fast-xml-parser does", () => {
  it("on every fixture feed and every XML feed of the hostile corpus", () => {
    // Prepare
    const bodies = [
      ...feeds,
      ...hostileCorpus().flatMap((c) =>
        typeof c.body === "string" && c.body.startsWith("<") ? [c.body] : [],
      ),
    ];
    for (const xml of bodies) {
      // Act + Assess
      expectSameTree(xml);
    }
  });

  it.each(TRICKY)("with %j in a feed, after the root or in an item", (markup) => {
    // Prepare: the markup after the root element's start tag, inside an item's title, and after the root.
    const feed = feeds.find((xml) => xml.includes("<item>")) ?? "";
    const afterRoot = feed.indexOf(">", feed.indexOf("<rss")) + 1;
    const inTitle = feed.indexOf("</title>", feed.indexOf("<item>"));
    const bodies = [
      feed.slice(0, afterRoot) + markup + feed.slice(afterRoot),
      feed.slice(0, inTitle) + markup + feed.slice(inTitle),
      `${feed.trimEnd()}\n${markup}`,
    ];
    for (const xml of bodies.filter((b) => XMLValidator.validate(b) === true)) {
      // Act + Assess
      expectSameTree(xml);
    }
  });

  it("on random mutations of the feeds that the validator accepts", () => {
    // Prepare: a seeded generator (to replay a failure) inserting tricky markup, mostly next to tags,
    // deleting, cutting and repeating spans of the small fixture feeds.
    let seed = 29;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
    const inTag = [
      " a='1'",
      "\u00a0",
      "\u000b",
      "\t",
      " /",
      "/",
      " a",
      " a=1",
      " x:a='1'",
      " a='&amp;'",
      "'",
    ];
    const small = feeds.filter((xml) => xml.length < 30_000);
    let accepted = 0;
    for (let n = 0; n < 1500; n++) {
      let xml = pick(small);
      for (let op = Math.floor(next() * 3); op >= 0; op--) {
        const at =
          next() < 0.7
            ? xml.indexOf(">", Math.floor(next() * xml.length)) + 1
            : Math.floor(next() * xml.length);
        const kind = next();
        if (kind < 0.2 && at > 0) xml = xml.slice(0, at - 1) + pick(inTag) + xml.slice(at - 1);
        else if (kind < 0.75) xml = xml.slice(0, at) + pick(TRICKY) + xml.slice(at);
        else if (kind < 0.85) xml = xml.slice(0, at) + xml.slice(at + 1 + Math.floor(next() * 20));
        else if (kind < 0.92) xml = xml.slice(0, at);
        else xml = xml.slice(0, at) + xml.slice(at, at + Math.floor(next() * 200)) + xml.slice(at);
      }
      if (XMLValidator.validate(xml) !== true) continue;
      accepted++;
      // Act + Assess
      expectSameTree(xml);
    }
    expect(accepted).toBeGreaterThan(300);
  });
});
