import { build } from "esbuild";
import { createElement, Fragment } from "react";
import { describe, expect, it } from "vitest";
import { cardHtml } from "../../shared/render/card.js";
import {
  Authors,
  CardFrame,
  CardTitle,
  Chip,
  ChipLabel,
  LinkLine,
  PaperLink,
  Tldr,
  TopicChips,
  WhyLine,
} from "../../shared/render/components.js";
import { compileFragments } from "../../shared/render/fragments.js";
import { renderMarkup } from "../../shared/render/markup.js";
import type { PaperView } from "../../shared/render/paper-view.js";
import { TEMPLATES } from "../../shared/render/templates.generated.js";

describe("templates.generated.ts", () => {
  it("matches the React Email fragments (run `npx tsx shared/render/build-templates.ts` after changing them)", () => {
    expect(TEMPLATES).toEqual(compileFragments());
  });

  it("keeps React out of the run-time bundle and the bundle small", async () => {
    // Act
    const result = await build({
      entryPoints: ["shared/render/index.ts"],
      bundle: true,
      platform: "node",
      format: "esm",
      minify: true,
      write: false,
      metafile: true,
      define: { "process.env.NODE_ENV": '"production"' },
      logLevel: "silent",
    });

    // Assess
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((path) => /node_modules\/(react|react-dom|@react-email)\//.test(path))).toEqual([]);
    expect(result.outputFiles[0]?.contents.byteLength).toBeLessThan(250_000);
  });
});

describe("a card assembled from templates", () => {
  it("is byte for byte what React Email renders for the same paper, hostile text included", () => {
    // Prepare
    const view: PaperView = {
      title: `Tom & Jerry's "<b>bold</b>" paper`,
      href: "https://arxiv.org/abs/2608.00001?a=1&b=2",
      authors: "A. O'Brien, B. <i>Evil</i>",
      chips: ["RL & Control", "Vision"],
      chipsLabel: "Also in",
      why: `Matches "agents" & <tools>`,
      tldr: "It's < 5% > 3% & fine.",
      links: [
        { label: "Abstract", href: "https://arxiv.org/abs/2608.00001" },
        { label: "Hugging Face ▲ 3", href: "https://huggingface.co/papers/2608.00001" },
      ],
      thumbnail: "https://cdn.example/t.png?x=1&y='2'",
      thumbnailAlt: `Tom & Jerry's`,
    };
    const h = createElement;
    const react = renderMarkup(
      h(CardFrame, {
        thumbnail: { src: view.thumbnail ?? "", alt: `Thumbnail: ${view.thumbnailAlt}` },
        head: h(Fragment, null, [
          h(TopicChips, {
            key: "chips",
            children: [
              h(ChipLabel, { key: "label", children: view.chipsLabel }),
              ...view.chips.map((chip) => h(Chip, { key: chip, children: chip })),
            ],
          }),
          h(CardTitle, { key: "title", level: "h3", href: view.href ?? "", children: view.title }),
          h(Authors, { key: "authors", children: view.authors }),
        ]),
        body: h(Fragment, null, [
          h(WhyLine, { key: "why", children: view.why }),
          h(Tldr, { key: "tldr", children: view.tldr }),
          h(LinkLine, {
            key: "links",
            children: view.links.flatMap((link, at) => [
              at > 0 ? " · " : null,
              h(PaperLink, {
                key: link.label,
                href: link.href,
                children: link.label.replace(/ /g, "\u00a0"),
              }),
            ]),
          }),
        ]),
      }),
    );

    // Act
    const assembled = cardHtml(view, "h3");

    // Assess
    expect(assembled).toBe(react);
  });
});
