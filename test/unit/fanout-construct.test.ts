import { App, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { FailureQueue } from "../../infra/lib/constructs/failure-queue.js";
import { MAX_RECEIVE_COUNT, MailFanout, WORKER_TIMEOUT } from "../../infra/lib/constructs/mail-fanout.js";
import { PaperboyBucket } from "../../infra/lib/constructs/paperboy-bucket.js";
import { SesSender, senderIdentityOf } from "../../infra/lib/constructs/ses-sender.js";
import { MAIL_WRITES } from "../../infra/lib/paperboy-stack.js";
import { configSchema } from "../../shared/config/schema.js";
import { fanoutPlan } from "../../shared/fanout/plan.js";

function synth(maxSendRate: number) {
  // Bundling skipped: the test reads the template.
  const app = new App({ context: { "aws:cdk:bundling-stacks": [] } });
  const stack = new Stack(app, "FanoutTest");
  const config = configSchema.parse({
    sources: [{ type: "huggingface" }],
    topics: [{ id: "agents", name: "Agents" }],
    subscribers: [{ email: "ada@example.org", topics: ["agents"] }],
    delivery: { from: "Paperboy <digest@papers.example.org>", maxSendRate },
  });
  const fanout = new MailFanout(stack, "MailFanout", {
    config,
    bucket: new PaperboyBucket(stack, "Data"),
    sender: new SesSender(stack, "Sender", {
      identity: senderIdentityOf(config.delivery.from, "fanout-test.yaml"),
    }),
    failureQueue: new FailureQueue(stack, "Failures", { meaning: "test" }).queue,
    mailWrites: MAIL_WRITES,
  });
  return { fanout, template: Template.fromStack(stack) };
}

describe("MailFanout", () => {
  it.each([14, 200])("caps the workers from delivery.maxSendRate %d/s", (rate) => {
    // Act
    const { fanout, template } = synth(rate);

    // Assess: maxConcurrency = reserved concurrency = the plan's workers; failures per record
    const { workers, batchSize } = fanoutPlan(rate);
    expect(fanout.plan.workers).toBe(workers);
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: workers },
      FunctionResponseTypes: ["ReportBatchItemFailures"],
    });
    template.hasResourceProperties("AWS::Lambda::Function", {
      ReservedConcurrentExecutions: workers,
      Environment: {
        Variables: Match.objectLike({
          PAPERBOY_MAIL_WORKERS: String(workers),
          PAPERBOY_MAIL_BATCH_SIZE: String(batchSize),
        }),
      },
    });
  });

  it("sends a batch that keeps failing to an alarmed dead-letter queue", () => {
    // Act
    const { fanout, template } = synth(14);

    // Assess
    template.hasResourceProperties("AWS::SQS::Queue", {
      RedrivePolicy: Match.objectLike({ maxReceiveCount: MAX_RECEIVE_COUNT }),
      VisibilityTimeout: WORKER_TIMEOUT.toSeconds() * 6,
    });
    expect(fanout.alarms).toHaveLength(2);
    template.resourceCountIs("AWS::CloudWatch::Alarm", 3);
  });

  it("lets the dispatcher enqueue and the worker send as the sender", () => {
    const { template } = synth(14);
    template.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(["sqs:SendMessage"]) })]),
      },
    });
    template.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: "ses:SendRawEmail" })]),
      },
    });
  });
});
