import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { compileFragments } from "../../shared/render/fragments.js";
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
