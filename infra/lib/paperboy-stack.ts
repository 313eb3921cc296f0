/**
 * Paperboy on AWS: bucket, the stage Lambdas, the daily run (schedule → state machine), SES sending with
 * its feedback (bounces, complaints, acceptance records), the mail fan-out over SQS, and the unsubscribe endpoint.
 */
import { CfnOutput, Duration, Stack, type StackProps } from "aws-cdk-lib";
import { Metric } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { Topic } from "aws-cdk-lib/aws-sns";
import type { Queue } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import type { PaperboyConfig } from "../../shared/config/schema.js";
import { alarmAtLeastOnce } from "./constructs/alarms.js";
import { DeliveryFeedback } from "./constructs/bounces.js";
import { DailyRun, directSendLimit, runTimeout } from "./constructs/daily-run.js";
import { FailureQueue } from "./constructs/failure-queue.js";
import { MailFanout } from "./constructs/mail-fanout.js";
import { PaperboyBucket } from "./constructs/paperboy-bucket.js";
import { PaperboyFunction } from "./constructs/paperboy-function.js";
import { type SenderIdentity, SesSender } from "./constructs/ses-sender.js";
import { UnsubscribeEndpoint } from "./constructs/unsubscribe.js";

/**
 * What each stage may touch in the bucket, by key prefix (shared/domain/keys.ts, shared/delivery/keys.ts).
 * The integration test records every S3 call the real handlers make and checks it against this table.
 */
export const STAGE_ACCESS = {
  fetch: { write: ["raw/"] },
  // Classify reads earlier raw listings and digests, folds earlier sent markers into the history, and
  // writes the day's archive page.
  classify: {
    read: ["raw/", "results/", "state/sent/", "state/history/"],
    write: ["results/", "state/history/", "archive/"],
  },
  // Mail reads the day's results and the delivery state; it writes rendered copies,
  // claims, sent markers and the run record, never suppressions (the feedback handler owns those).
  mail: {
    read: ["results/", "state/"],
    write: ["digests/", "state/sent/", "state/claims/", "state/runs/"],
  },
} as const satisfies Record<string, { read?: readonly string[]; write: readonly string[] }>;

/** Where the mail stage writes (also the fan-out worker's grant). */
export const MAIL_WRITES: string[] = [...STAGE_ACCESS.mail.write];

export interface PaperboyStackProps extends StackProps {
  /** The validated paperboy.config.yaml. */
  config: PaperboyConfig;
  /** The SES identity derived from config.delivery.from. */
  sender: SenderIdentity;
  /** Optional SNS topic ARN that every alarm notifies. */
  alarmTopicArn?: string;
}

export class PaperboyStack extends Stack {
  readonly data: PaperboyBucket;
  readonly fetch: PaperboyFunction;
  readonly classify: PaperboyFunction;
  readonly mail: PaperboyFunction;
  readonly fanout: MailFanout;
  readonly unsubscribe: UnsubscribeEndpoint;
  readonly feedback: DeliveryFeedback;
  readonly run: DailyRun;
  readonly sender: SesSender;
  /** Queues where failed work lands (each alarms when not empty). */
  readonly failureQueues: Queue[];

  constructor(scope: Construct, id: string, props: PaperboyStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.data = new PaperboyBucket(this, "Data");
    this.sender = new SesSender(this, "Sender", { identity: props.sender });
    const failures = new FailureQueue(this, "RunFailures", {
      meaning: "a stage failed after its retries (the day's run stopped there)",
    });

    const common = {
      config,
      failureQueue: failures.queue,
      environment: { PAPERBOY_BUCKET: this.data.bucket.bucketName },
    };
    this.fetch = new PaperboyFunction(this, "Fetch", {
      ...common,
      entry: "functions/fetch/handler.ts",
      description: "Paperboy fetch: sources → raw/<date>/",
      timeout: Duration.minutes(3),
    });
    this.classify = new PaperboyFunction(this, "Classify", {
      ...common,
      entry: "functions/classify/handler.ts",
      description: "Paperboy classify: raw → tagged, ranked, personalized results/<date>/",
      memorySize: 1024,
      timeout: Duration.minutes(3),
      shipModel: true,
    });
    this.mail = new PaperboyFunction(this, "Mail", {
      ...common,
      entry: "functions/mail/handler.ts",
      description: "Paperboy mail: results → rendered digests → SES",
      // As much as the dispatcher: after a fan-out it reads the whole day's digests to settle them.
      memorySize: 1024,
      timeout: Duration.minutes(10),
      environment: {
        ...common.environment,
        PAPERBOY_SES_CONFIGURATION_SET: this.sender.configurationSet.configurationSetName,
      },
    });

    for (const [stage, access] of Object.entries(STAGE_ACCESS)) {
      this.data.grantStageAccess(this.stageFunction(stage).role, access);
    }
    this.sender.grantSendAsSender(this.mail.role);

    this.fanout = new MailFanout(this, "MailFanout", {
      config,
      bucket: this.data,
      sender: this.sender,
      failureQueue: failures.queue,
      mailWrites: MAIL_WRITES,
    });

    // The link's base URL is the Function URL (a deploy-time token), never a config value.
    this.unsubscribe = new UnsubscribeEndpoint(this, "Unsubscribe", {
      config,
      data: this.data,
      failureQueue: failures.queue,
    });
    for (const sender of [this.mail, this.fanout.worker]) {
      for (const [k, v] of Object.entries(this.unsubscribe.grantSigning(sender.role))) {
        sender.function.addEnvironment(k, v);
      }
    }
    this.feedback = new DeliveryFeedback(this, "Feedback", {
      config,
      data: this.data,
      configurationSet: this.sender.configurationSet,
      failureQueue: failures.queue,
    });

    this.run = new DailyRun(this, "DailyRun", {
      schedule: config.schedule,
      fetch: this.fetch.function,
      classify: this.classify.function,
      mail: this.mail.function,
      fanout: {
        dispatch: this.fanout.dispatch.function,
        batches: this.fanout.queue,
        directLimit: directSendLimit(config.delivery.maxSendRate),
      },
      failureQueue: failures.queue,
      timeout: runTimeout(config),
    });
    this.failureQueues = [failures.queue, this.run.scheduleDeadLetters.queue, this.fanout.deadLetters.queue];

    const digestsFailed = alarmAtLeastOnce(this, "DigestsFailed", {
      description: "Paperboy: SES refused at least one digest (see the mail function's logs).",
      metric: new Metric({
        namespace: "Paperboy",
        metricName: "DigestsFailed",
        dimensionsMap: { service: "paperboy" },
        statistic: "Sum",
        period: Duration.minutes(5),
      }),
    });

    if (props.alarmTopicArn) {
      const action = new SnsAction(Topic.fromTopicArn(this, "AlarmTopic", props.alarmTopicArn));
      for (const alarm of [...this.run.alarms, ...this.fanout.alarms, failures.alarm, digestsFailed]) {
        alarm.addAlarmAction(action);
      }
    }

    new CfnOutput(this, "BucketName", { value: this.data.bucket.bucketName });
    new CfnOutput(this, "StateMachineArn", { value: this.run.stateMachine.stateMachineArn });
    new CfnOutput(this, "FailureQueueUrl", { value: failures.queue.queueUrl });
    new CfnOutput(this, "MailFunctionName", { value: this.mail.function.functionName });
    new CfnOutput(this, "MailBatchQueueUrl", { value: this.fanout.queue.queueUrl });
    new CfnOutput(this, "UnsubscribeUrl", { value: this.unsubscribe.url.url });
  }

  /** The function of a stage named in STAGE_ACCESS. */
  stageFunction(stage: string): PaperboyFunction {
    const fn = (
      { fetch: this.fetch, classify: this.classify, mail: this.mail } as Record<string, PaperboyFunction>
    )[stage];
    if (!fn) throw new Error(`no function for stage ${stage}`);
    return fn;
  }
}
