/**
 * The digest and the archive page in a real browser (headless Chromium): no horizontal overflow at phone
 * and desktop widths, in light and dark mode, every paper title visible, no feed markup executed.
 * Screenshots go to test-artifacts/screenshots/ for a human look.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Paper } from "../../shared/domain/paper.js";
import { cleanText, createDigestRenderer, renderArchive } from "../../shared/render/index.js";
import { startPreviewServer } from "../../shared/render/preview-server.js";
import {
  chromiumAvailable,
  hfDayPapers,
  launchChromium,
  sampleContext,
  sampleDigest,
  sampleTagged,
  sampleTopics,
} from "../support/browser.js";

const SCREENSHOTS = fileURLToPath(new URL("../../test-artifacts/screenshots/", import.meta.url));
const WIDTHS = [375, 1280] as const;
const SCHEMES = ["light", "dark"] as const;
// A neutral stand-in for every remote image: the test never touches the network.
const PLACEHOLDER_IMAGE = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="648"><rect width="100%" height="100%" fill="#c9c3b8"/></svg>`;

// Outside CI a machine without Chromium skips these tests; in CI launchChromium fails them with a clear message.
const runBrowser = chromiumAvailable() || Boolean(process.env.CI);

interface Rendered {
  name: string;
  html: string;
  titles: string[];
}

function pages(): Rendered[] {
  const papers = hfDayPapers();
  const hostile: Paper = {
    ...(papers[3] as Paper),
    id: "9999.00001",
    title: `<img src=x onerror="window.__pwned=1">Attention <script>window.__pwned=1</script> is all you need`,
    authors: ["Mallory <b onmouseover=alert(1)>Evil</b>", "Eve \u202Eevil\u202C"],
    links: { abs: "javascript:window.__pwned=1", pdf: "https://arxiv.org/pdf/9999.00001" },
  };
  const renderer = createDigestRenderer(sampleContext);
  const multi = sampleDigest([hostile, ...papers], ["agents", "vision", "reasoning"], 12);
  const single = sampleDigest(papers.slice(10), ["agents"], 6);
  const empty = { ...sampleDigest([], ["agents"], 0) };
  return [
    {
      name: "digest",
      html: renderer.render(multi, { unsubscribeUrl: "https://paperboy.example/unsubscribe?t=abc" }).html,
      titles: multi.items.map((item) => cleanText(item.paper.title)),
    },
    {
      name: "digest-single-topic",
      html: renderer.render(single).html,
      titles: single.items.map((item) => cleanText(item.paper.title)),
    },
    {
      name: "digest-empty",
      html: renderer.render(empty, { note: "Nothing matched Agents today. Enjoy the quiet." }).html,
      titles: [],
    },
    {
      name: "archive",
      html: renderArchive("2026-08-18", sampleTagged(papers), sampleTopics),
      titles: papers.map((paper) => cleanText(paper.title)),
    },
  ];
}

interface Layout {
  scrollWidth: number;
  innerWidth: number;
  pwned: boolean;
  scripts: number;
  handlers: number;
  badLinks: number;
  headings: string[];
  cardBackground: string;
}

// Runs in the page. A string, because the project's compiler settings carry no DOM types.
const LAYOUT_PROBE = `(() => ({
  scrollWidth: document.scrollingElement ? document.scrollingElement.scrollWidth : Infinity,
  innerWidth: window.innerWidth,
  pwned: "__pwned" in window,
  scripts: document.querySelectorAll("script").length,
  handlers: [...document.querySelectorAll("*")].filter((el) => [...el.attributes].some((a) => a.name.startsWith("on"))).length,
  badLinks: [...document.querySelectorAll("a[href]")].filter((a) => !/^(https?:|#)/.test(a.getAttribute("href") || "")).length,
  headings: [...document.querySelectorAll("h2, h3")].map((h) => (h.textContent || "").trim()),
  cardBackground: getComputedStyle(document.querySelector(".pb-card") || document.body).backgroundColor,
}))()`;

async function show(page: Page, html: string): Promise<void> {
  await page.route("**/*", (route) =>
    route.request().resourceType() === "image"
      ? route.fulfill({ status: 200, contentType: "image/svg+xml", body: PLACEHOLDER_IMAGE })
      : route.abort(),
  );
  await page.setContent(html, { waitUntil: "load" });
}

describe.runIf(runBrowser)("digest in headless Chromium", () => {
  let browser: Browser;
  const rendered = pages();

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
  });

  for (const { name, html, titles } of rendered) {
    for (const width of WIDTHS) {
      for (const colorScheme of SCHEMES) {
        it(`${name} at ${width}px, ${colorScheme}: fits the width, titles visible`, async () => {
          // Prepare
          const context = await browser.newContext({
            viewport: { width, height: 900 },
            colorScheme,
            javaScriptEnabled: true,
          });
          const page = await context.newPage();

          // Act
          await show(page, html);
          const layout = await page.evaluate<Layout>(LAYOUT_PROBE);
          await page.screenshot({
            path: `${SCREENSHOTS}${name}-${width}-${colorScheme}.png`,
            fullPage: true,
          });
          await page.screenshot({ path: `${SCREENSHOTS}${name}-${width}-${colorScheme}-top.png` });

          // Assess
          expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
          expect(layout).toMatchObject({ pwned: false, scripts: 0, handlers: 0, badLinks: 0 });
          for (const title of titles) {
            expect(layout.headings).toContain(title);
            const heading = page.locator("h2, h3", { hasText: title }).first();
            expect(await heading.isVisible()).toBe(true);
            const box = await heading.boundingBox();
            expect(box && box.x >= 0 && box.x + box.width <= width).toBe(true);
          }
          if (titles.length > 0) {
            expect(layout.cardBackground).toBe(
              colorScheme === "dark" ? "rgb(28, 31, 36)" : "rgb(255, 255, 255)",
            );
          }
          await context.close();
        }, 30_000);
      }
    }
  }

  it("preview server: the index lists the day's pages and a served digest keeps its styles under the CSP", async () => {
    // Prepare
    const root = mkdtempSync(join(tmpdir(), "preview-browser-"));
    const digest = rendered.find((page) => page.name === "digest");
    const archive = rendered.find((page) => page.name === "archive");
    mkdirSync(join(root, "outbox", "2026-08-18"), { recursive: true });
    mkdirSync(join(root, "store", "archive", "2026-08-18"), { recursive: true });
    writeFileSync(join(root, "outbox", "2026-08-18", "ana.html"), digest?.html ?? "");
    writeFileSync(join(root, "store", "archive", "2026-08-18", "index.html"), archive?.html ?? "");
    const server = await startPreviewServer(root);
    const context = await browser.newContext({ viewport: { width: 375, height: 900 } });
    const page = await context.newPage();
    await page.route("**/*", (route) => {
      const request = route.request();
      if (request.url().startsWith(server.url)) return route.continue();
      return request.resourceType() === "image"
        ? route.fulfill({ status: 200, contentType: "image/svg+xml", body: PLACEHOLDER_IMAGE })
        : route.abort();
    });

    try {
      // Act
      await page.goto(server.url);
      const links = await page.locator("a").allTextContents();
      await page.screenshot({ path: `${SCREENSHOTS}preview-index-375.png`, fullPage: true });
      await page.getByText("Digest ana").click();
      await page.waitForLoadState("load");
      const layout = await page.evaluate<Layout>(LAYOUT_PROBE);
      await page.screenshot({ path: `${SCREENSHOTS}preview-digest-375-top.png` });

      // Assess
      expect(links).toEqual(["Archive of the day", "Digest ana"]);
      expect(page.url()).toBe(`${server.url}files/outbox/2026-08-18/ana.html`);
      expect(layout.cardBackground).toBe("rgb(255, 255, 255)");
      expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
    } finally {
      await context.close();
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  }, 30_000);
});
