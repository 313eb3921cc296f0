/** Feed text cleaning, safe links, arXiv ids, dates and author lines. */
import { describe, expect, it } from "vitest";
import {
  cleanFeedText,
  isArxivCategory,
  isoDateTime,
  parseArxivId,
  repairMojibake,
  safeHttpsUrl,
  safeHttpUrl,
  splitAuthors,
  stripBom,
  urlPaperId,
} from "../../shared/sources/text.js";

describe("cleanFeedText", () => {
  it.each([
    [
      "named and numeric entities",
      "Tom &amp; Jerry &#8211; &eacute;t&eacute; &#x1F600;",
      "Tom & Jerry – été 😀",
    ],
    ["&nbsp; is a space and collapses", "a&nbsp;&nbsp; b", "a b"],
    [
      "markup stripped, inline tags join",
      "<p>H<sub>2</sub>O is <b>wet</b></p><p>Next</p>",
      "H2O is wet Next",
    ],
    ["script and style content dropped", "Hi<script>alert(1)</script><style>p{}</style> there", "Hi there"],
    ["escaped script (double-escaped feed) dropped too", "x &lt;script&gt;alert(1)&lt;/script&gt; y", "x y"],
    [
      "an escaped, unclosed <script> (a paper about scripts) keeps the rest of the text",
      "We detect &lt;script&gt; injection in pages.",
      "We detect injection in pages.",
    ],
    ["an unclosed raw <script> swallows the rest, as in a browser", "Hi<script>alert(1)", "Hi"],
    ["LaTeX comparisons survive", "$a<b$ and $c > d$, O(n<sup>2</sup>)", "$a<b$ and $c > d$, O(n2)"],
    ["escaped less-than stays text", "x &lt; y", "x < y"],
    ["whitespace and newlines collapse", "  two\n  lines\t\ttabbed \r\n ", "two lines tabbed"],
    [
      "bidi overrides and isolates removed",
      "evil\u202Egnp.exe \u2066x\u2069 \u202Ay\u202C",
      "evilgnp.exe x y",
    ],
    ["C0, DEL and C1 controls removed", "a\u0000b\u0007c\u007Fd\u0085e\u009Bf", "abcdef"],
    ["BOM inside text removed", "\uFEFFTitle", "Title"],
    ["NFC normalization", "e\u0301te\u0301", "été"],
    ["lone surrogate replaced", "a\uD800b", "a\uFFFDb"],
    ["comments and CDATA markers dropped", "<!-- hidden -->a <![CDATA[b]]>", "a b"],
    ["undefined and empty", undefined, ""],
  ])("%s", (_name, input, expected) => {
    // Act
    const cleaned = cleanFeedText(input);
    // Assess
    expect(cleaned).toBe(expected);
  });
});

describe("cleanFeedText on hostile input stays fast (no quadratic regex)", () => {
  it.each([
    ["many unclosed <script>", "<script>".repeat(50_000)],
    ["many closed <script> then an unclosed <style>", `${"<script>x</script>".repeat(50_000)}<style>`],
    ["many unclosed comments", "<!--".repeat(100_000)],
    ["many half tags", "<a ".repeat(100_000)],
  ])("%s", (_name, input) => {
    // Prepare
    const started = performance.now();
    // Act
    cleanFeedText(input);
    // Assess
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe("repairMojibake / stripBom", () => {
  it.each([
    ["Dirk WÃ¼bben", "Dirk Wübben"],
    ["Ã‰cole", "Ã‰cole"], // has a char above U+00FF: not Latin-1-read UTF-8, left alone
    ["Wübben", "Wübben"],
    ["plain", "plain"],
  ])("%s → %s", (input, expected) => {
    expect(repairMojibake(input)).toBe(expected);
  });

  it("strips one leading BOM only", () => {
    expect(stripBom("\uFEFF<rss/>")).toBe("<rss/>");
    expect(stripBom("<rss/>")).toBe("<rss/>");
  });
});

describe("safeHttpUrl", () => {
  it.each([
    ["https://github.com/a/b", "https://github.com/a/b"],
    ["  http://example.com/x?y=1  ", "http://example.com/x?y=1"],
    ["http://arxiv.org/abs/2604.21935", "https://arxiv.org/abs/2604.21935"],
    ["http://export.arxiv.org/api/query", "https://export.arxiv.org/api/query"],
    ["http://huggingface.co/papers/2608.15265", "https://huggingface.co/papers/2608.15265"],
    ["http://notarxiv.org/x", "http://notarxiv.org/x"],
    ["javascript:alert(1)", undefined],
    ["JaVaScRiPt:alert(1)", undefined],
    ["data:text/html,<script>alert(1)</script>", undefined],
    ["vbscript:msgbox", undefined],
    ["file:///etc/passwd", undefined],
    ["ftp://example.com/x", undefined],
    ["https://user:pass@example.com/", undefined],
    ["/relative/path", undefined],
    ["https://exa mple.com/", undefined],
    ["java\nscript:alert(1)", undefined],
    ["", undefined],
    [undefined, undefined],
  ])("%j → %j", (input, expected) => {
    expect(safeHttpUrl(input)).toBe(expected);
  });

  it("resolves relative paths against a base, and safeHttpsUrl refuses plain http", () => {
    expect(safeHttpUrl("/avatars/x.svg", "https://huggingface.co")).toBe(
      "https://huggingface.co/avatars/x.svg",
    );
    expect(safeHttpsUrl("http://example.com/a.png")).toBeUndefined();
    expect(safeHttpsUrl("https://example.com/a.png")).toBe("https://example.com/a.png");
  });
});

describe("parseArxivId", () => {
  it.each([
    ["2604.21935", { id: "2604.21935" }],
    ["2604.21935v2", { id: "2604.21935", version: 2 }],
    ["arXiv:2604.21935v3", { id: "2604.21935", version: 3 }],
    ["oai:arXiv.org:2604.21935v1", { id: "2604.21935", version: 1 }],
    ["https://arxiv.org/abs/2604.21935v2", { id: "2604.21935", version: 2 }],
    ["http://arxiv.org/abs/1707.08567v1", { id: "1707.08567", version: 1 }],
    ["https://arxiv.org/pdf/2604.21935v2.pdf", { id: "2604.21935", version: 2 }],
    ["https://export.arxiv.org/abs/2604.21935", { id: "2604.21935" }],
    ["https://www.arxiv.org/html/2604.21935v1/", { id: "2604.21935", version: 1 }],
    ["https://huggingface.co/papers/2608.19880", { id: "2608.19880" }],
    ["0704.0001", { id: "0704.0001" }],
    ["hep-ex/0307015", { id: "hep-ex/0307015" }],
    ["hep-ex/0307015v2", { id: "hep-ex/0307015", version: 2 }],
    ["math.GR/0601001", { id: "math/0601001" }],
    ["http://arxiv.org/abs/cond-mat/0412498v1", { id: "cond-mat/0412498", version: 1 }],
    ["0000.0000", undefined],
    ["2613.12345", undefined],
    ["2604.2193", undefined],
    ["1412.12345", undefined],
    ["abc", undefined],
    ["https://example.com/abs/2604.21935", undefined],
    ["https://huggingface.co/models/2608.19880", undefined],
    ["javascript:2604.21935", undefined],
    ["", undefined],
  ])("%j → %j", (input, expected) => {
    expect(parseArxivId(input)).toEqual(expected);
  });
});

describe("small helpers", () => {
  it.each([
    ["Mon, 27 Apr 2026 00:00:00 -0400", "2026-04-27T04:00:00.000Z"],
    ["2026-08-21T02:30:55", "2026-08-21T02:30:55.000Z"],
    ["2024-05-24T17:34:15.000Z", "2024-05-24T17:34:15.000Z"],
    ["2021-07-08T20:30:00-05:00", "2021-07-09T01:30:00.000Z"],
    ["not a date", undefined],
    [undefined, undefined],
  ])("isoDateTime(%j) → %j", (input, expected) => {
    expect(isoDateTime(input)).toBe(expected);
  });

  it.each([
    ["Michael Cooper, Samuel Cooper", ["Michael Cooper", "Samuel Cooper"]],
    ["A. One, B. Two and C. Three", ["A. One", "B. Two", "C. Three"]],
    ["A. One, B. Two, and C. Three", ["A. One", "B. Two", "C. Three"]],
    ["R. Aaij, et al. (909 additional authors not shown)", ["R. Aaij"]],
    ["Ren&eacute; Descartes", ["René Descartes"]],
    ["", []],
  ])("splitAuthors(%j)", (input, expected) => {
    expect(splitAuthors(input)).toEqual(expected);
  });

  it.each([
    ["cs.LG", true],
    ["astro-ph.CO", true],
    ["hep-ex", true],
    ["math.GR", true],
    ["Machine Learning", false],
    ["news", false],
  ])("isArxivCategory(%j) → %s", (label, expected) => {
    expect(isArxivCategory(label)).toBe(expected);
  });

  it("urlPaperId is stable, short and prefixed", () => {
    const id = urlPaperId("https://example.com/post/1");
    expect(id).toMatch(/^url:[0-9a-f]{16}$/);
    expect(urlPaperId("https://example.com/post/1")).toBe(id);
    expect(urlPaperId("https://example.com/post/2")).not.toBe(id);
  });
});
