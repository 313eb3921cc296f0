/**
 * Bundles each Lambda with the stack's esbuild settings (infra/lib/constructs/paperboy-function.ts) and
 * prints its size; exits 1 when a bundle is over the 1 MB budget. Usage: npm run bundle-size [-- --json]
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { App } from "aws-cdk-lib";
import { build } from "esbuild";
import { LAMBDA_ESBUILD, PaperboyFunction, PROJECT_ROOT } from "../infra/lib/constructs/paperboy-function.js";
import { configFileOf, loadConfigForSynth } from "../infra/lib/load-config.js";
import { PaperboyStack } from "../infra/lib/paperboy-stack.js";

/** The budget per bundle (index.mjs), in bytes: 1 MB. */
export const BUNDLE_BUDGET_BYTES = 1_000_000;

/** Every function of the stack, by construct path and entry file (the stack is built without bundling). */
export function stackFunctions(configFile = configFileOf(undefined)): { name: string; entry: string }[] {
  const app = new App({ context: { "aws:cdk:bundling-stacks": [] } });
  const { config, sender } = loadConfigForSynth(configFile);
  const stack = new PaperboyStack(app, "Paperboy", { config, sender });
  return stack.node
    .findAll()
    .filter((c): c is PaperboyFunction => c instanceof PaperboyFunction)
    .map((fn) => ({ name: fn.node.path.replace(/^Paperboy\//, ""), entry: fn.entry }));
}

export interface BundleSize {
  name: string;
  /** The bundle file (gone once measureBundles cleaned up its temp folder). */
  file: string;
  bytes: number;
  /** The largest inputs, for finding what to trim. */
  largest: { input: string; bytes: number }[];
}

/** Bundles one handler exactly as NodejsFunction does (format, target, minify, externals, define, banner). */
export async function measureBundle(name: string, entry: string, outDir: string): Promise<BundleSize> {
  const outfile = join(outDir, name, "index.mjs");
  const result = await build({
    entryPoints: [join(PROJECT_ROOT, entry)],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: LAMBDA_ESBUILD.target,
    minify: LAMBDA_ESBUILD.minify,
    sourcemap: LAMBDA_ESBUILD.sourceMap,
    mainFields: [...LAMBDA_ESBUILD.mainFields],
    external: [...LAMBDA_ESBUILD.externalModules],
    define: { ...LAMBDA_ESBUILD.define },
    banner: { js: LAMBDA_ESBUILD.banner },
    metafile: true,
    logLevel: "silent",
  });
  const byPackage = new Map<string, number>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const key = input
        .replace(/^node_modules\/((@[^/]+\/)?[^/]+).*/, "$1")
        .replace(/^(shared\/[^/]+).*/, "$1");
      byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
    }
  }
  const largest = [...byPackage]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([input, bytes]) => ({ input, bytes }));
  return { name, file: outfile, bytes: statSync(outfile).size, largest };
}

/** Bundles every function of the stack into `outDir` (default: a temp folder, removed afterwards). */
export async function measureBundles(outDir?: string): Promise<BundleSize[]> {
  const dir = outDir ?? mkdtempSync(join(tmpdir(), "paperboy-bundles-"));
  try {
    const sizes: BundleSize[] = [];
    for (const fn of stackFunctions()) sizes.push(await measureBundle(fn.name, fn.entry, dir));
    return sizes;
  } finally {
    if (!outDir) rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const sizes = await measureBundles();
  if (process.argv.includes("--json")) {
    process.stdout.write(`${JSON.stringify(sizes, null, 2)}\n`);
  } else {
    const kb = (n: number) => `${(n / 1000).toFixed(0)} kB`;
    for (const s of sizes) {
      const mark = s.bytes > BUNDLE_BUDGET_BYTES ? "OVER" : "ok";
      const top = s.largest.map((l) => `${l.input} ${kb(l.bytes)}`).join(", ");
      process.stdout.write(`${s.name.padEnd(10)} ${kb(s.bytes).padStart(8)}  ${mark}   largest: ${top}\n`);
    }
    process.stdout.write(`budget: ${kb(BUNDLE_BUDGET_BYTES)} per bundle (shipped model files are extra)\n`);
  }
  if (sizes.some((s) => s.bytes > BUNDLE_BUDGET_BYTES)) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
