import { describe, expect, it } from "vitest";
import type { Paper } from "../../shared/domain/paper.js";
import type { TaggedPaper } from "../../shared/domain/tagging.js";
import { renderArchive } from "../../shared/render/index.js";
import { hfDayPapers, sampleTopics } from "../support/browser.js";

/** Tags with an on* attribute, ignoring attribute values (where escaped feed text may say "onerror="). */
function tagsWithHandlers(html: string): string[] {
  return (html.match(/<[a-z][^>]*>/gi) ?? []).filter((tag) =>
    /\son[a-z]+\s*=/i.test(tag.replace(/"[^"]*"/g, '""')),
  );
}

const evidence = { title: [], keywords: [], terms: [] };

describe("renderArchive", () => {
  const [p0, p1, p2, p3] = hfDayPapers() as [Paper, Paper, Paper, Paper];

  it("lists every tagged paper once under its best topic, in config order, best score first", () => {
    // Prepare
    const tagged: TaggedPaper[] = [
      { paper: p0, matches: [{ topicId: "vision", score: 0.7, evidence }] },
      {
        paper: p1,
        matches: [
          { topicId: "agents", score: 0.6, evidence },
          { topicId: "vision", score: 0.5, evidence },
        ],
      },
      {
        paper: p2,
        matches: [
          {
            topicId: "agents",
            score: 0.9,
            evidence: { title: ["agent"], keywords: ["agent", "<b>tool</b>"], terms: [] },
          },
        ],
      },
      { paper: p3, matches: [] },
    ];

    // Act
    const html = renderArchive("2026-08-18", tagged, sampleTopics);

    // Assess
    expect(html).toMatch(/^<!DOCTYPE html><html dir="ltr" lang="en">/);
    expect(html).not.toContain("{{pb:");
    expect(html).toContain("<title>Paperboy · Tue 18 Aug · archive</title>");
    const order = [...html.matchAll(/<h([23])[^>]*>(?:<a[^>]*>)?([^<]*)/g)].map((m) => m[2]);
    expect(order).toEqual(["Agents", p2.title, p1.title, "Vision &amp; 3D", p0.title]);
    expect(html).toMatch(/<a href="#topic-agents"[^>]* target="_self"/);
    expect(html).toContain('id="topic-vision"');
    expect(html).toContain("1 paper of the day matched no topic");
    expect(html).not.toContain(p3.title);
    expect(html).toContain("Matched: agent, &lt;b&gt;tool&lt;/b&gt;");
  });

  it("escapes feed text and keeps only http(s) links", () => {
    const hostile: Paper = {
      ...p0,
      title: `<script>alert(1)</script><img src=x onerror=alert(2)>`,
      links: { abs: "javascript:alert(3)", hf: "https://huggingface.co/papers/x" },
    };
    const html = renderArchive(
      "2026-08-18",
      [{ paper: hostile, matches: [{ topicId: "new<b>", score: 1, evidence }] }],
      [],
    );
    expect(html).not.toMatch(/<script/i);
    expect(tagsWithHandlers(html)).toEqual([]);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("javascript:");
    expect(html).toContain('id="topic-new_b_"');
  });

  it("says so when nothing matched", () => {
    expect(renderArchive("2026-08-18", [], sampleTopics)).toContain("No paper matched a topic on this day.");
  });
});
