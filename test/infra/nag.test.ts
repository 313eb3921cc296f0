/** cdk-nag AwsSolutions finds nothing unacknowledged, and every acknowledgment carries a reason. */
import { Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { describe, expect, it } from "vitest";
import { synthesized } from "./synth.js";

describe("cdk-nag AwsSolutions", () => {
  it("reports no findings", () => {
    const { app } = synthesized();
    const report = new AwsSolutionsChecks(app).validateScope(app);
    const findings = report.violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} ${r.resourceLogicalId}`),
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it("has a reason for every acknowledgment", () => {
    const { app } = synthesized();
    const acks: { id: string; reason: string }[] = [];
    const visit = (node: IConstruct) => {
      for (const entry of node.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        // Stored by Validations.acknowledge() as { "<pack>::<rule>[<finding>]": reason }.
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>))
          acks.push({ id, reason });
      }
      for (const child of node.node.children) visit(child);
    };
    visit(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) expect(ack.reason.length, ack.id).toBeGreaterThan(40);
  });
});
