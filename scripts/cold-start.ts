/**
 * `npx tsx scripts/cold-start.ts [--runs 7] [--json]`: every Lambda bundled as the stack bundles it
 * (scripts/bundle-size.ts), its size against the 1 MB budget, and the time a fresh `node` takes to import
 * it, against a bare `node -e 0`. The AWS SDK stays external as on Lambda (the runtime provides it; here
 * it resolves from node_modules), so its import is counted.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { PROJECT_ROOT } from "../infra/lib/constructs/paperboy-function.js";
import { BUNDLE_BUDGET_BYTES, measureBundle, stackFunctions } from "./bundle-size.js";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "7" }, json: { type: "boolean", default: false } },
});
const RUNS = Math.max(1, Number(values.runs));

/** The fan-out functions (entries relative to the repo root), measured even before the stack wires them. */
const FANOUT = [
  { name: "MailFanout/Dispatch", entry: "functions/mail-worker/dispatch/handler.ts" },
  { name: "MailFanout/Worker", entry: "functions/mail-worker/handler.ts" },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

/** Wall time of a fresh node process running `args`, and what it printed (a number, when it times itself). */
function timeNode(args: string[]): { wallMs: number; printed: number } {
  const started = performance.now();
  const out = spawnSync(process.execPath, args, { encoding: "utf8", cwd: PROJECT_ROOT });
  const wallMs = performance.now() - started;
  if (out.status !== 0) throw new Error(`node ${args.join(" ")} failed: ${out.stderr.slice(-800)}`);
  return { wallMs, printed: Number(out.stdout.trim() || "0") };
}

// Inside node_modules' parent, so the external @aws-sdk/* packages resolve as the Lambda runtime's would.
const cacheDir = join(PROJECT_ROOT, "node_modules", ".cache");
mkdirSync(cacheDir, { recursive: true });
const outDir = mkdtempSync(join(cacheDir, "paperboy-cold-start-"));
try {
  const fromStack = stackFunctions();
  const functions = [
    ...fromStack,
    ...FANOUT.filter((f) => !fromStack.some((s) => s.entry.endsWith(f.entry))),
  ];
  const baseline = median(Array.from({ length: RUNS }, () => timeNode(["-e", "0"]).wallMs));
  const rows = [];
  for (const fn of functions) {
    const size = await measureBundle(fn.name, fn.entry, outDir);
    const url = pathToFileURL(join(outDir, fn.name, "index.mjs")).href;
    const script = `const t = performance.now(); await import(${JSON.stringify(url)}); process.stdout.write(String(performance.now() - t));`;
    const runs = Array.from({ length: RUNS }, () => timeNode(["--input-type=module", "-e", script]));
    const wallMs = median(runs.map((r) => r.wallMs));
    rows.push({
      name: fn.name,
      bytes: size.bytes,
      withinBudget: size.bytes <= BUNDLE_BUDGET_BYTES,
      importMs: Math.round(median(runs.map((r) => r.printed)) * 10) / 10,
      processMs: Math.round(wallMs),
      overBareNodeMs: Math.round(wallMs - baseline),
      largest: size.largest,
    });
  }
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ bareNodeMs: Math.round(baseline), runs: RUNS, functions: rows })}\n`,
    );
  } else {
    const lines = [
      `cold start: median of ${RUNS} fresh processes; bare \`node -e 0\` = ${baseline.toFixed(0)} ms (node ${process.version})`,
      `  function               bundle   budget   import   process   over bare node`,
    ];
    for (const r of rows) {
      lines.push(
        `  ${r.name.padEnd(20)} ${`${(r.bytes / 1000).toFixed(0)} kB`.padStart(8)}   ${(r.withinBudget ? "ok" : "OVER").padEnd(6)} ${`${r.importMs} ms`.padStart(8)} ${`${r.processMs} ms`.padStart(9)} ${`+${r.overBareNodeMs} ms`.padStart(10)}`,
      );
    }
    process.stdout.write(`${lines.join("\n")}\n`);
  }
  if (rows.some((r) => !r.withinBudget)) process.exitCode = 1;
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
