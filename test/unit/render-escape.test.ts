import { describe, expect, it } from "vitest";
import { seededRandom } from "../../bench/workload.js";
import type { Paper } from "../../shared/domain/paper.js";
import {
  cleanText,
  createDigestRenderer,
  escapeHtml,
  headerValue,
  safeHttpUrl,
} from "../../shared/render/index.js";
import { hfDayPapers, sampleDigest, sampleTopics } from "../support/browser.js";

describe("escapeHtml", () => {
  it.each([
    ["<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
    [`"quoted" & 'single'`, "&quot;quoted&quot; &amp; &#x27;single&#x27;"],
    ["plain", "plain"],
  ])("%s", (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });
});

describe("cleanText and headerValue", () => {
  it("removes bidi overrides, isolates and control characters and folds whitespace", () => {
    expect(cleanText("Eve \u202Eevil\u202C \u2066x\u2069\u0007 \t\r\n end")).toBe("Eve evil x end");
  });

  it("returns clean ASCII as it is and cleans everything else the full way", () => {
    // The full cleaning, which the shortcut for already clean ASCII text must agree with.
    const reference = (value: string) =>
      value
        .replace(/\s+/g, " ")
        .replace(/[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/gu, "")
        .trim();
    const pieces = [
      "a",
      "Reader 7",
      " ",
      "  ",
      "\t",
      "\n",
      "\r\n",
      "\u00a0",
      "\u202e",
      "\u0007",
      "é",
      "~",
      "-",
    ];
    const next = seededRandom(5);
    let unchanged = 0;
    for (let round = 0; round < 20000; round++) {
      let value = "";
      const count = Math.floor(next() * 6);
      for (let p = 0; p < count; p++) value += pieces[Math.floor(next() * pieces.length)];
      const cleaned = cleanText(value);
      expect(cleaned, JSON.stringify(value)).toBe(reference(value));
      if (cleaned === value) unchanged++;
    }
    // Both ways were taken.
    expect(unchanged).toBeGreaterThan(2000);
    expect(unchanged).toBeLessThan(18000);
  });

  it("never leaves CR or LF in a header value", () => {
    const value = headerValue("Hello\r\nBcc: victim@example.org\u2028X: y");
    expect(value).toBe("Hello Bcc: victim@example.org X: y");
    expect(value).not.toMatch(/[\r\n]/);
  });
});

describe("safeHttpUrl", () => {
  it.each([
    ["https://arxiv.org/abs/2608.15265", "https://arxiv.org/abs/2608.15265"],
    ["http://example.org/a?b=1&c=2", "http://example.org/a?b=1&c=2"],
    ["  https://example.org/x  ", "https://example.org/x"],
    ["javascript:alert(1)", undefined],
    ["JaVaScRiPt:alert(1)", undefined],
    ["java\nscript:alert(1)", undefined],
    ["data:text/html,<script>alert(1)</script>", undefined],
    ["vbscript:msgbox", undefined],
    ["//evil.example/x", undefined],
    ["/relative/path", undefined],
    ["https://user:pass@example.org/", undefined],
    ["https://exa mple.org/", undefined],
    ["", undefined],
    [undefined, undefined],
  ])("%s", (input, expected) => {
    expect(safeHttpUrl(input)).toBe(expected);
  });
});

describe("feed text in the rendered digest", () => {
  // Prepare
  const [base] = hfDayPapers();
  const hostile: Paper = {
    ...(base as Paper),
    id: "9999.00001",
    title: `<img src=x onerror=alert(1)> <script>alert("t")</script> \u202Egnp.exe`,
    abstract: `<a href="javascript:alert(1)">click</a> An abstract. Second sentence.`,
    aiSummary: undefined,
    authors: ["<b onmouseover=alert(1)>Mallory</b>", "Eve\r\nBcc: x@example.org"],
    links: {
      abs: "javascript:alert(1)",
      pdf: "data:application/pdf;base64,AAAA",
      hf: "https://huggingface.co/papers/9999.00001",
      code: "vbscript:bad",
    },
    thumbnail: "javascript:alert(2)",
  };
  const renderer = createDigestRenderer({
    date: "2026-08-18",
    topics: [{ ...(sampleTopics[0] as (typeof sampleTopics)[0]), name: `Agents <svg onload=alert(1)>` }],
    from: "Paperboy <digest@paperboy.example>",
    subjectPrefix: "Paperboy",
    notes: [`<script>alert("note")</script>`],
  });
  const digest = sampleDigest([hostile], ["agents"], 1);
  const first = digest.items[0];
  if (first) first.why = `<i onclick="x()">why</i>`;
  digest.subscriber.name = `<b>Ana</b>`;

  // Act
  const { html, text, subject } = renderer.render(digest, {
    unsubscribeUrl: "javascript:alert(3)",
    note: "<iframe src=x>",
  });

  it("puts no markup, script or handler from feeds into the HTML", () => {
    // Assess
    expect(html).not.toMatch(/<script/i);
    const handlers = (html.match(/<[a-z][^>]*>/gi) ?? []).filter((tag) =>
      /\son[a-z]+\s*=/i.test(tag.replace(/"[^"]*"/g, '""')),
    );
    expect(handlers).toEqual([]);
    expect(html).not.toMatch(/<iframe/i);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).toContain("&lt;i onclick=&quot;x()&quot;&gt;why&lt;/i&gt;");
    expect(html).toContain("&lt;b&gt;Ana&lt;/b&gt;");
  });

  it("links only to http(s)", () => {
    const hrefs = [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href).toMatch(/^https?:\/\//);
    expect(html).toContain('href="https://huggingface.co/papers/9999.00001"');
    const linkLines = text
      .split("\n")
      .filter((line) => /^(Abstract|PDF|Hugging Face|Code|Project page)\b/.test(line));
    expect(linkLines).toEqual([
      expect.stringMatching(/^Hugging Face.*: https:\/\/huggingface\.co\/papers\/9999\.00001$/),
    ]);
  });

  it("removes bidi overrides and line breaks from the text and the subject", () => {
    expect(html).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect(text).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect(subject).not.toMatch(/[\r\n\u202E]/);
    expect(text).not.toContain("\r");
    expect(text).toMatch(/^<b onmouseover=alert\(1\)>Mallory<\/b>, E\. B\. x@example\.org$/m);
  });
});

describe("feed text that looks like a template slot", () => {
  it("stays literal text", () => {
    const [base] = hfDayPapers();
    const paper: Paper = {
      ...(base as Paper),
      title: "{{pb:why}} {{pb:content}}",
      aiSummary: "{{pb:unsubscribe}}",
    };
    const digest = sampleDigest([paper], ["agents"], 1);
    const { html } = createDigestRenderer({
      date: "2026-08-18",
      topics: sampleTopics,
      from: "Paperboy <digest@paperboy.example>",
      subjectPrefix: "Paperboy",
    }).render(digest, { unsubscribeUrl: "https://paperboy.example/u" });
    expect(html).toContain(">{{pb:why}} {{pb:content}}<");
    expect(html).toContain("{{pb:unsubscribe}}");
    expect(html.split("https://paperboy.example/u").length - 1).toBe(1);
  });
});
