/** Every function's bundle, built with the stack's esbuild settings, stays within 1 MB and loads as ESM on Node. */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../infra/lib/constructs/paperboy-function.js";
import { BUNDLE_BUDGET_BYTES, type BundleSize, measureBundles } from "../../scripts/bundle-size.js";

// Inside the project so the bundles resolve @aws-sdk/* from node_modules, as they do from the Lambda runtime.
mkdirSync(join(PROJECT_ROOT, "cdk.out"), { recursive: true });
const outDir = mkdtempSync(join(PROJECT_ROOT, "cdk.out", "bundle-check-"));
let sizes: BundleSize[];

beforeAll(async () => {
  sizes = await measureBundles(outDir);
}, 240_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe("Lambda bundles", () => {
  it("are built for each stage function", () => {
    expect(sizes.map((s) => s.name)).toEqual(expect.arrayContaining(["Fetch", "Classify", "Mail"]));
  });

  it("are each at most 1 MB", () => {
    for (const size of sizes) {
      const top = size.largest.map((l) => `${l.input} ${l.bytes}`).join(", ");
      expect(size.bytes, `${size.name} (largest inputs: ${top})`).toBeLessThanOrEqual(BUNDLE_BUDGET_BYTES);
    }
  });

  it("load as ES modules and export a handler (the require shim works for CommonJS dependencies)", async () => {
    for (const size of sizes) {
      const module = (await import(pathToFileURL(size.file).href)) as { handler?: unknown };
      expect(typeof module.handler, size.name).toBe("function");
    }
  });
});
