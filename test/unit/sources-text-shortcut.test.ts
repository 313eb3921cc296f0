/**
 * cleanFeedText's shortcut for plain text must give what every cleaning step gives (cleanFeedTextFully):
 * on the real feeds' texts and on random strings made of the characters each step cares about.
 */
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanFeedText, cleanFeedTextFully } from "../../shared/sources/text.js";

const FEEDS = resolve(import.meta.dirname, "../fixtures/feeds");

describe("cleanFeedText shortcut", () => {
  it("cleans every text of the fixture feeds as the full cleaning does", () => {
    // Prepare: every element text and JSON string of the fixtures, raw (entities and markup included).
    const texts = readdirSync(FEEDS)
      .filter((name) => /\.(xml|json)$/.test(name))
      .flatMap((name) => {
        const body = readFileSync(resolve(FEEDS, name), "utf8");
        return [
          ...[...body.matchAll(/>([^<]+)</g)].map((m) => m[1] ?? ""),
          ...[...body.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string),
        ];
      });
    expect(texts.length).toBeGreaterThan(1000);
    for (const text of texts) {
      // Act + Assess
      expect(cleanFeedText(text), JSON.stringify(text)).toBe(cleanFeedTextFully(text));
    }
  });

  it("cleans random strings of tricky characters as the full cleaning does", () => {
    // Prepare: whitespace of every kind, markup and entity starts, controls, bidi marks, surrogates,
    // mojibake, combining marks, next to plain letters (a seeded generator, to replay a failure).
    const alphabet = [
      "a",
      "Z",
      "0",
      " ",
      "  ",
      "\t",
      "\n",
      "\r",
      "\v",
      "\f",
      "\u00a0",
      "\u2028",
      "\ufeff",
      "<",
      ">",
      "&",
      "&amp;",
      "&lt;b&gt;",
      "<p>",
      "<script>x</script>",
      "]]>",
      "<![CDATA[",
      "<!-- c -->",
      "\u0000",
      "\u0007",
      "\u007f",
      "\u0085",
      "\u202e",
      "\u2066",
      "\u200f",
      "\ud800",
      "\udc00",
      "\ud83d\ude00",
      "é",
      "e\u0301",
      "Ã¼",
      "\u00c2",
      "$a<b$",
      "~",
      "%",
      "'",
      '"',
      ";",
      "=",
    ];
    let seed = 11;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let n = 0; n < 5000; n++) {
      const text = Array.from(
        { length: Math.floor(next() * 12) },
        () => alphabet[Math.floor(next() * alphabet.length)],
      ).join("");
      // Act + Assess
      expect(cleanFeedText(text), JSON.stringify(text)).toBe(text === "" ? "" : cleanFeedTextFully(text));
    }
  });
});
