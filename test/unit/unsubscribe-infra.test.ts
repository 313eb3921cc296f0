import { App, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";
import { describe, expect, it } from "vitest";
import { DeliveryFeedback, FEEDBACK_ACCESS } from "../../infra/lib/constructs/bounces.js";
import { FailureQueue } from "../../infra/lib/constructs/failure-queue.js";
import { PaperboyBucket } from "../../infra/lib/constructs/paperboy-bucket.js";
import { SesSender } from "../../infra/lib/constructs/ses-sender.js";
import { UNSUBSCRIBE_ACCESS, UnsubscribeEndpoint } from "../../infra/lib/constructs/unsubscribe.js";
import { parseConfig } from "../../shared/config/load.js";

const CONFIG = parseConfig(
  `sources: [{type: huggingface}]
topics: [{id: agents, name: LLM agents}]
subscribers: [{email: ada@example.org, topics: [agents]}]
delivery: {from: "Paperboy <digest@papers.example.org>"}
`,
  "test.yaml",
);

function synth() {
  // "aws:cdk:bundling-stacks": [] skips esbuild: this test reads the template.
  const app = new App({ context: { "aws:cdk:bundling-stacks": [] } });
  const stack = new Stack(app, "Constructs");
  const data = new PaperboyBucket(stack, "Data");
  const failures = new FailureQueue(stack, "Failures", { meaning: "test" });
  const sender = new SesSender(stack, "Sender", {
    identity: { address: "digest@papers.example.org", domain: "papers.example.org" },
  });
  const unsubscribe = new UnsubscribeEndpoint(stack, "Unsubscribe", {
    config: CONFIG,
    data,
    failureQueue: failures.queue,
  });
  new DeliveryFeedback(stack, "Feedback", {
    config: CONFIG,
    data,
    configurationSet: sender.configurationSet,
    failureQueue: failures.queue,
  });
  return { app, stack, unsubscribe, template: Template.fromStack(stack) };
}

describe("unsubscribe and feedback constructs", () => {
  const { app, template } = synth();

  it("serves the unsubscribe function on a public Function URL with the key from Secrets Manager", () => {
    template.hasResourceProperties("AWS::Lambda::Url", { AuthType: "NONE" });
    template.resourceCountIs("AWS::SecretsManager::Secret", 1);
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: { Variables: Match.objectLike({ PAPERBOY_UNSUBSCRIBE_SECRET_ARN: Match.anyValue() }) },
    });
  });

  it("publishes sends, bounces and complaints of the configuration set to the feedback function", () => {
    template.hasResourceProperties("AWS::SES::ConfigurationSetEventDestination", {
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(["send", "bounce", "complaint"]),
        SnsDestination: Match.anyValue(),
      }),
    });
    template.hasResourceProperties("AWS::SNS::Subscription", { Protocol: "lambda" });
  });

  it("lets each function write only its own prefixes", () => {
    expect(UNSUBSCRIBE_ACCESS.write).toEqual(["state/suppressed/"]);
    expect(FEEDBACK_ACCESS.write).toEqual(["state/suppressed/", "state/accepted/"]);
    const puts = Object.values(template.findResources("AWS::IAM::Policy")).flatMap((policy) =>
      (
        policy as { Properties: { PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } } }
      ).Properties.PolicyDocument.Statement.filter((s) => s.Action === "s3:PutObject"),
    );
    const prefixes = JSON.stringify(puts);
    expect(prefixes).toMatch(/state\/suppressed\/\*/);
    expect(prefixes).toMatch(/state\/accepted\/\*/);
    expect(prefixes).not.toMatch(/state\/sent\//);
  });

  it("has only the cdk-nag findings the stack must acknowledge (listed in the report)", () => {
    const report = new AwsSolutionsChecks(app).validateScope(app);
    const mine = report.violations
      .flatMap((v) => v.violatingResources.map(() => v.ruleName))
      .filter((f) => !/^AwsSolutions-(S1|SQS3)/.test(f));
    console.log(mine.join("\n"));
    const rules = new Set(mine.map((f) => f.replace(/[[ ].*$/, "")));
    // Expected: the Lambda role's X-Ray/prefix wildcards (IAM5), the secret's rotation (SMG4), the topic's KMS (SNS2).
    for (const rule of rules)
      expect(["AwsSolutions-IAM5", "AwsSolutions-SMG4", "AwsSolutions-SNS2"]).toContain(rule);
  });
});
