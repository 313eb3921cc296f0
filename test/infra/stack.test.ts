/**
 * What matters in the Paperboy template (schedule, retries and dead letters, bucket, IAM scope, functions),
 * and that cdk-nag AwsSolutions finds nothing unacknowledged; one synthesized stack for all of it.
 */
import { Validations } from "aws-cdk-lib";
import { Match } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { runTimeout } from "../../infra/lib/constructs/daily-run.js";
import { senderIdentityOf } from "../../infra/lib/constructs/ses-sender.js";
import { UNSUBSCRIBE_CONCURRENCY } from "../../infra/lib/constructs/unsubscribe.js";
import { ConfigError } from "../../shared/domain/errors.js";
import { type Synthesized, synthesized } from "./synth.js";

type Json = Record<string, unknown>;
let s: Synthesized;
beforeAll(() => {
  s = synthesized();
}, 180_000);

const resourcesOf = (type: string): [string, Json][] =>
  Object.entries(s.template.findResources(type)) as [string, Json][];
const propsOf = (resource: Json) => resource.Properties as Json;

describe("schedule", () => {
  it("runs at the configured time, days and timezone, with the scheduled time as the run date", () => {
    s.template.hasResourceProperties("AWS::Scheduler::Schedule", {
      ScheduleExpression: "cron(45 6 ? * MON-FRI *)",
      ScheduleExpressionTimezone: "Europe/Berlin",
      FlexibleTimeWindow: { Mode: "OFF" },
      Target: Match.objectLike({
        Input: JSON.stringify({ date: "<aws.scheduler.scheduled-time>" }),
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 7200 },
        DeadLetterConfig: { Arn: Match.anyValue() },
      }),
    });
  });
});

describe("state machine", () => {
  const definition = (): Json => {
    const [, machine] = resourcesOf("AWS::StepFunctions::StateMachine")[0] ?? [];
    const body = propsOf(machine as Json).DefinitionString as { "Fn::Join": [string, unknown[]] };
    const text = body["Fn::Join"][1].map((part) => (typeof part === "string" ? part : "ARN")).join("");
    return JSON.parse(text) as Json;
  };

  const TASKS = ["Fetch", "Classify", "Dispatch", "Mail", "MailAfterGrace", "MailAfterGrace2"];

  it("chains fetch → classify → mail, each passing the run date", () => {
    const def = definition();
    const states = def.States as Record<string, Json>;
    expect(def.StartAt).toBe("Fetch");
    expect(states.Fetch?.Next).toBe("Classify");
    expect(states.Classify?.Next).toBe("ListSize");
    expect(states.ListSize?.Default).toBe("Mail");
    expect(states.Mail?.Next).toBe("InDoubt");
    for (const name of TASKS) {
      expect(states[name]?.Parameters).toMatchObject({ Payload: { "date.$": "$.date" } });
    }
  });

  it("fans a list longer than one mail run out to SQS, waits until the batches are done, then mails the rest", () => {
    const states = definition().States as Record<string, Json>;
    const [longList] = (states.ListSize?.Choices ?? []) as Json[];
    expect(JSON.stringify(longList)).toContain('"NumericGreaterThan":3600');
    expect(JSON.stringify(longList)).toContain("$.classify.summary.digests");
    expect(longList?.Next).toBe("Dispatch");
    expect(states.Dispatch?.Next).toBe("WaitForBatches");
    expect(states.WaitForBatches).toMatchObject({ Type: "Wait", Seconds: 60, Next: "CountBatches" });
    expect(states.CountBatches?.Resource).toContain("sqs:getQueueAttributes");
    expect(states.CountBatches?.Next).toBe("BatchesDone");
    expect(((states.BatchesDone?.Choices ?? []) as Json[])[0]?.Next).toBe("WaitForBatches");
    expect(states.BatchesDone?.Default).toBe("Mail");
    const catcher = ((states.CountBatches?.Catch ?? []) as Json[])[0];
    expect(catcher).toMatchObject({ ErrorEquals: ["States.ALL"], Next: "CountBatchesFailed" });
    expect(states.CountBatchesFailed?.Next).toBe("ReportFailure");
  });

  it("mails the date again after the in-doubt grace period while any send is in doubt, at most twice", () => {
    const states = definition().States as Record<string, Json>;
    const waits = Object.entries(states).filter(([, st]) => st.Type === "Wait" && st.Seconds === 960);
    expect(waits.map(([name]) => name)).toEqual(["WaitInDoubtGrace", "WaitInDoubtGrace2"]);
    for (const [choice, wait, again, done] of [
      ["InDoubt", "WaitInDoubtGrace", "MailAfterGrace", "Mailed"],
      ["InDoubt2", "WaitInDoubtGrace2", "MailAfterGrace2", "Mailed2"],
    ] as const) {
      const [rule] = (states[choice]?.Choices ?? []) as Json[];
      expect(JSON.stringify(rule)).toContain('"Variable":"$.mail.summary.inDoubt","NumericGreaterThan":0');
      expect(rule?.Next).toBe(wait);
      expect(states[wait]?.Next).toBe(again);
      expect(states[choice]?.Default).toBe(done);
      expect(states[again]?.ResultPath).toBe("$.mail");
    }
    expect(states.MailAfterGrace?.Next).toBe("InDoubt2");
    expect(states.MailAfterGrace2?.End).toBe(true);
  });

  it("retries each step a bounded number of times, never on bad input, then reports and fails", () => {
    const states = definition().States as Record<string, Json>;
    for (const name of TASKS) {
      const retry = (states[name]?.Retry ?? []) as Json[];
      expect(retry[0]).toMatchObject({ ErrorEquals: ["RunRequestError", "ConfigError"], MaxAttempts: 0 });
      expect(retry.at(-1)).toMatchObject({ ErrorEquals: ["States.ALL"], MaxAttempts: 2, BackoffRate: 2 });
      for (const r of retry) expect(r.MaxAttempts).toBeLessThanOrEqual(3);
      const catcher = ((states[name]?.Catch ?? []) as Json[])[0];
      expect(catcher).toMatchObject({ ErrorEquals: ["States.ALL"], Next: `${name}Failed` });
      expect(states[`${name}Failed`]?.Next).toBe("ReportFailure");
    }
    expect(states.ReportFailure?.Resource).toContain("sqs:sendMessage");
    expect(states.ReportFailure?.Next).toBe("RunFailed");
    expect(states.RunFailed?.Type).toBe("Fail");
  });

  it("logs every event, traces, and times out", () => {
    s.template.hasResourceProperties("AWS::StepFunctions::StateMachine", {
      LoggingConfiguration: Match.objectLike({ Level: "ALL", IncludeExecutionData: true }),
      TracingConfiguration: { Enabled: true },
    });
    expect(definition().TimeoutSeconds).toBe(7200);
  });

  it("alarms on failed and timed-out runs and on every failure queue", () => {
    const alarms = resourcesOf("AWS::CloudWatch::Alarm").map(([, a]) => propsOf(a));
    const names = alarms.map((a) => a.MetricName);
    expect(names).toEqual(
      expect.arrayContaining(["ExecutionsFailed", "ExecutionsTimedOut", "DigestsFailed"]),
    );
    expect(names.filter((n) => n === "ApproximateNumberOfMessagesVisible")).toHaveLength(3);
    expect(names).toContain("ApproximateAgeOfOldestMessage");
  });

  it("gives a long list's run time to send it at delivery.maxSendRate", () => {
    const [reader] = s.config.subscribers;
    if (!reader) throw new Error("the test config has a reader");
    const many = { ...s.config, subscribers: Array.from({ length: 100_000 }, () => reader) };
    const rate = s.config.delivery.maxSendRate;
    expect(runTimeout(s.config).toSeconds()).toBe(7200);
    expect(runTimeout(many).toSeconds()).toBe(3600 + Math.ceil((100_000 / rate) * 1.5));
  });
});

describe("functions", () => {
  const functions = () => resourcesOf("AWS::Lambda::Function").map(([, f]) => propsOf(f));

  it("are the stages, fan-out, unsubscribe and feedback on the latest Node.js runtime, arm64, traced, with retained logs", () => {
    const fns = functions();
    expect(fns).toHaveLength(7);
    for (const fn of fns) {
      expect(fn.Runtime).toBe("nodejs24.x");
      expect(fn.Architectures).toEqual(["arm64"]);
      expect(fn.TracingConfig).toEqual({ Mode: "Active" });
      expect(fn.Handler).toBe("index.handler");
      const env = (fn.Environment as { Variables: Json }).Variables;
      expect(env.PAPERBOY_CONFIG_FILE).toBe("paperboy.config.json");
      expect(env.PAPERBOY_BUCKET).toEqual({ Ref: expect.stringMatching(/^DataBucket/) });
    }
    const retention = resourcesOf("AWS::Logs::LogGroup").map(([, g]) => propsOf(g).RetentionInDays);
    expect(retention.length).toBeGreaterThanOrEqual(4);
    for (const days of retention) expect(days).toBe(30);
  });

  it("send async failures to a queue after at most two retries", () => {
    const configs = resourcesOf("AWS::Lambda::EventInvokeConfig").map(([, c]) => propsOf(c));
    expect(configs).toHaveLength(7);
    for (const c of configs) {
      expect(c.MaximumRetryAttempts).toBe(2);
      expect(c.DestinationConfig).toEqual({
        OnFailure: { Destination: { "Fn::GetAtt": [expect.stringMatching(/^RunFailuresQueue/), "Arn"] } },
      });
    }
  });

  it("the mail function knows the SES configuration set", () => {
    s.template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({ PAPERBOY_SES_CONFIGURATION_SET: { Ref: Match.anyValue() } }),
      },
    });
    s.template.resourceCountIs("AWS::SES::ConfigurationSet", 1);
  });
});

describe("unsubscribe endpoint", () => {
  it("is the only Function URL, public (auth NONE: the HMAC in the link authorizes), on the unsubscribe function", () => {
    const urls = resourcesOf("AWS::Lambda::Url").map(([, u]) => propsOf(u));
    expect(urls).toHaveLength(1);
    expect(urls[0]).toMatchObject({
      AuthType: "NONE",
      TargetFunctionArn: { "Fn::GetAtt": [expect.stringMatching(/^UnsubscribeHandlerFunction/), "Arn"] },
    });
    const open = resourcesOf("AWS::Lambda::Permission")
      .map(([, p]) => propsOf(p))
      .filter((p) => p.Principal === "*");
    expect(open).toHaveLength(2);
    for (const permission of open) {
      expect(JSON.stringify(permission.FunctionName)).toContain("UnsubscribeHandlerFunction");
      expect(permission.FunctionUrlAuthType === "NONE" || permission.InvokedViaFunctionUrl === true).toBe(
        true,
      );
    }
    s.template.hasResourceProperties("AWS::Lambda::Function", {
      Description: Match.stringLikeRegexp("^Paperboy unsubscribe"),
      ReservedConcurrentExecutions: UNSUBSCRIBE_CONCURRENCY,
    });
    s.template.hasOutput("UnsubscribeUrl", {
      Value: {
        "Fn::GetAtt": [Match.stringLikeRegexp("^UnsubscribeHandlerFunctionFunctionUrl"), "FunctionUrl"],
      },
    });
  });

  it("gives the mail function and the mail worker the key and the Function URL (not a config value)", () => {
    const senders = resourcesOf("AWS::Lambda::Function").filter(([id]) =>
      /^Mail(Function|FanoutWorker)/.test(id),
    );
    expect(senders).toHaveLength(2);
    for (const [, fn] of senders) {
      const env = (propsOf(fn).Environment as { Variables: Json }).Variables;
      expect(env.PAPERBOY_UNSUBSCRIBE_SECRET_ARN).toEqual({
        Ref: expect.stringMatching(/^UnsubscribeSigningKey/),
      });
      expect(env.PAPERBOY_UNSUBSCRIBE_BASE_URL).toEqual({
        "Fn::GetAtt": [expect.stringMatching(/^UnsubscribeHandlerFunctionFunctionUrl/), "FunctionUrl"],
      });
    }
  });
});

describe("SES feedback", () => {
  it("publishes the configuration set's send, bounce and complaint events to a topic the feedback function reads", () => {
    s.template.hasResourceProperties("AWS::SES::ConfigurationSetEventDestination", {
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: ["send", "bounce", "complaint"],
        SnsDestination: { TopicARN: { Ref: Match.stringLikeRegexp("^FeedbackTopic") } },
      }),
    });
    s.template.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "lambda",
      TopicArn: { Ref: Match.stringLikeRegexp("^FeedbackTopic") },
      Endpoint: { "Fn::GetAtt": [Match.stringLikeRegexp("^FeedbackHandlerFunction"), "Arn"] },
    });
    s.template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: "sns:Publish", Principal: { Service: "ses.amazonaws.com" } }),
        ]),
      },
    });
  });
});

describe("mail fan-out", () => {
  it("feeds the worker from an encrypted batch queue with a dead-letter queue, bounded and per record", () => {
    s.template.hasResourceProperties("AWS::SQS::Queue", {
      RedrivePolicy: {
        deadLetterTargetArn: { "Fn::GetAtt": [Match.stringLikeRegexp("^MailFanoutDeadLetters"), "Arn"] },
        maxReceiveCount: 5,
      },
      SqsManagedSseEnabled: true,
    });
    const workers = s.stack.fanout.plan.workers;
    s.template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: { "Fn::GetAtt": [Match.stringLikeRegexp("^MailFanoutBatches"), "Arn"] },
      FunctionName: { Ref: Match.stringLikeRegexp("^MailFanoutWorkerFunction") },
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: workers },
      FunctionResponseTypes: ["ReportBatchItemFailures"],
    });
  });
});

describe("senderIdentityOf", () => {
  it.each([
    ["Paperboy <digest@Papers.Example.org>", "digest@Papers.Example.org", "papers.example.org"],
    ["digest@example.org", "digest@example.org", "example.org"],
    ['"Paper, Boy" <a.b+c@mail.example.co.uk>', "a.b+c@mail.example.co.uk", "mail.example.co.uk"],
  ])("%s", (from, address, domain) => {
    expect(senderIdentityOf(from, "c.yaml")).toEqual({ address, domain });
  });

  it.each([["Paperboy"], ["Paperboy <digest>"], ["<@example.org>"]])(
    "refuses %s naming delivery.from",
    (from) => {
      expect(() => senderIdentityOf(from, "c.yaml")).toThrow(ConfigError);
      expect(() => senderIdentityOf(from, "c.yaml")).toThrow(/^c\.yaml: delivery\.from: /);
    },
  );
});

describe("bucket", () => {
  it("is private, encrypted, versioned, TLS-only, retained, and expires raw data", () => {
    s.template.hasResource("AWS::S3::Bucket", {
      DeletionPolicy: "Retain",
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
        },
        VersioningConfiguration: { Status: "Enabled" },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ Prefix: "raw/", ExpirationInDays: 30, Status: "Enabled" }),
            Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 30 } }),
          ]),
        },
      }),
    });
    s.template.hasResourceProperties("AWS::S3::BucketPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });
});

describe("IAM", () => {
  interface Statement {
    Action: string | string[];
    Resource: unknown;
    Effect: string;
  }
  const statements = (): { policy: string; statement: Statement }[] =>
    resourcesOf("AWS::IAM::Policy").flatMap(([policy, p]) =>
      ((propsOf(p).PolicyDocument as { Statement: Statement[] }).Statement ?? []).map((statement) => ({
        policy,
        statement,
      })),
    );
  const actions = (st: Statement) => [st.Action].flat();
  const resources = (st: Statement) => [st.Resource].flat();

  it("has no wildcard actions anywhere", () => {
    for (const { statement } of statements()) {
      for (const action of actions(statement)) expect(action).not.toMatch(/\*/);
    }
  });

  it("uses Resource '*' only for actions AWS offers no resource scope for (X-Ray, log delivery)", () => {
    const unscopable = new Set([
      "xray:PutTraceSegments",
      "xray:PutTelemetryRecords",
      "xray:GetSamplingRules",
      "xray:GetSamplingTargets",
      "logs:CreateLogDelivery",
      "logs:GetLogDelivery",
      "logs:UpdateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:ListLogDeliveries",
      "logs:PutResourcePolicy",
      "logs:DescribeResourcePolicies",
      "logs:DescribeLogGroups",
    ]);
    for (const { statement } of statements()) {
      if (!resources(statement).includes("*")) continue;
      for (const action of actions(statement)) expect(unscopable).toContain(action);
    }
  });

  it("grants S3 object access only under each stage's prefixes of the one bucket", () => {
    const s3 = statements().filter(({ statement }) => actions(statement).some((a) => a.startsWith("s3:")));
    expect(s3.length).toBeGreaterThan(0);
    for (const { statement } of s3) {
      for (const resource of resources(statement)) {
        const text = JSON.stringify(resource);
        expect(text).toContain("DataBucket");
        if (actions(statement).includes("s3:ListBucket")) continue;
        expect(text).toMatch(
          /\/(raw|results|archive|digests|state(\/(sent|claims|history|runs|suppressed|accepted))?)\/\*"/,
        );
      }
    }
    const fetchWrites = s3.filter(
      ({ policy, statement }) => policy.startsWith("Fetch") && actions(statement).includes("s3:PutObject"),
    );
    expect(fetchWrites.map(({ statement }) => JSON.stringify(statement.Resource))).toEqual([
      expect.stringContaining('"/raw/*"'),
    ]);
  });

  it("lets only the mail function and the mail worker send email, as the configured identity through the configuration set", () => {
    const ses = statements().filter(({ statement }) => actions(statement).some((a) => a.startsWith("ses:")));
    expect(ses.map(({ policy }) => policy.replace(/[0-9A-F]{8}$/, "")).sort()).toEqual([
      "MailFanoutWorkerRoleDefaultPolicy",
      "MailRoleDefaultPolicy",
    ]);
    for (const { statement } of ses) {
      expect(actions(statement)).toEqual(["ses:SendRawEmail"]);
      const text = JSON.stringify(statement.Resource);
      expect(text).toContain(":identity/digest@papers.example.org");
      expect(text).toContain(":identity/papers.example.org");
      expect(text).toContain(":configuration-set/");
      expect(text).not.toMatch(/identity\/\*/);
    }
  });

  it("lets only the unsubscribe function and the two mail senders read the signing key", () => {
    const reads = statements().filter(({ statement }) =>
      actions(statement).includes("secretsmanager:GetSecretValue"),
    );
    expect(reads.map(({ policy }) => policy.replace(/[0-9A-F]{8}$/, "")).sort()).toEqual([
      "MailFanoutWorkerRoleDefaultPolicy",
      "MailRoleDefaultPolicy",
      "UnsubscribeHandlerRoleDefaultPolicy",
    ]);
    for (const { statement } of reads) {
      expect(statement.Resource).toEqual({ Ref: expect.stringMatching(/^UnsubscribeSigningKey/) });
    }
  });

  it("gives each function its own role without managed policies", () => {
    const roles = resourcesOf("AWS::IAM::Role").map(([, r]) => propsOf(r));
    for (const role of roles) expect(role.ManagedPolicyArns).toBeUndefined();
  });
});

describe("cdk-nag AwsSolutions", () => {
  it("reports no findings", () => {
    const { app } = s;
    const report = new AwsSolutionsChecks(app).validateScope(app);
    const findings = report.violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} ${r.resourceLogicalId}`),
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it("has a reason for every acknowledgment", () => {
    const { app } = s;
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
