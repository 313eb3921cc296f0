/** The CDK app as `cdk synth` runs it: the real config, bundling and cdk-nag; a bad config fails like `paperboy validate`. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const work = mkdtempSync(join(tmpdir(), "paperboy-app-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs a TypeScript entry point with tsx, as the CDK CLI does (`npx tsx infra/bin/app.ts`). */
function runTs(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 200_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("cdk synth", () => {
  it("synthesizes the example config with local bundling and no cdk-nag findings", {
    timeout: 240_000,
  }, () => {
    const outdir = join(work, "cdk.out");
    const run = runTs(["infra/bin/app.ts"], { CDK_OUTDIR: outdir, PAPERBOY_CONFIG: "paperboy.config.yaml" });
    expect(run.stderr).not.toMatch(/AwsSolutions-/);
    expect(run.status).toBe(0);
    const template = JSON.parse(readFileSync(join(outdir, "Paperboy.template.json"), "utf8")) as {
      Resources: Record<string, { Type: string }>;
    };
    const types = Object.values(template.Resources).map((r) => r.Type);
    // fetch, classify, mail, mail dispatch + worker, unsubscribe, SES feedback
    expect(types.filter((t) => t === "AWS::Lambda::Function")).toHaveLength(7);
    expect(types).toContain("AWS::Scheduler::Schedule");
    const assets = JSON.parse(readFileSync(join(outdir, "Paperboy.assets.json"), "utf8")) as {
      files: Record<string, { source: { path: string; packaging?: string } }>;
    };
    const bundles = Object.values(assets.files)
      .map((f) => join(outdir, f.source.path))
      .filter((dir) => existsSync(join(dir, "index.mjs")));
    expect(bundles).toHaveLength(7);
    for (const dir of bundles) {
      const shipped = JSON.parse(readFileSync(join(dir, "paperboy.config.json"), "utf8")) as {
        topics: unknown[];
      };
      expect(shipped.topics.length).toBeGreaterThan(0);
    }
    expect(bundles.filter((dir) => existsSync(join(dir, "model")))).toHaveLength(1);
  });

  it("fails on a bad config with exit 2 and the same line as `paperboy validate`", {
    timeout: 240_000,
  }, () => {
    const bad = join(work, "bad.yaml");
    writeFileSync(
      bad,
      [
        "sources:",
        "  - type: huggingface",
        "topics:",
        "  - id: Agents!",
        "    name: A",
        "subscribers: []",
        "",
      ].join("\n"),
    );
    const synth = runTs(["infra/bin/app.ts"], { CDK_OUTDIR: join(work, "bad.out"), PAPERBOY_CONFIG: bad });
    const validate = runTs(["shared/cli/main.ts", "validate", "--config", bad]);
    expect(synth.status).toBe(2);
    expect(validate.status).toBe(2);
    expect(synth.stderr).toMatch(/^paperboy: .*bad\.yaml:4:\d+: topics\[0\]\.id: /);
    expect(synth.stderr.trim().split("\n")).toHaveLength(1);
    expect(synth.stderr).toBe(validate.stderr);
  });
});
