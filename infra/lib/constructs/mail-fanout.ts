/**
 * Sending that grows past one Lambda: a dispatch function cuts the day's digests into batches and
 * enqueues one SQS message per batch; a worker function consumes them with at most `workers` running
 * (event source maxConcurrency = reserved concurrency), each pacing itself at its share of
 * delivery.maxSendRate, so the account's SES rate is never exceeded. Failures are reported per record;
 * a batch that keeps failing lands in a dead-letter queue that alarms.
 */
import { Duration } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { PaperboyConfig } from "../../../shared/config/schema.js";
import { type FanoutPlan, fanoutPlan } from "../../../shared/fanout/plan.js";
import { FailureQueue } from "./failure-queue.js";
import type { PaperboyBucket, StageAccess } from "./paperboy-bucket.js";
import { PaperboyFunction } from "./paperboy-function.js";
import type { SesSender } from "./ses-sender.js";

/** The dispatcher reads the day's digests and writes the batch shards, both under results/. */
export const DISPATCH_ACCESS: StageAccess = { read: ["results/"], write: ["results/"] };

/** A worker reads its batch shard and the delivery state, and writes where the mail stage writes. */
export function workerAccess(mailWrites: readonly string[]): StageAccess {
  return { read: ["results/", "state/"], write: mailWrites };
}

/** Deliveries before a batch goes to the dead-letter queue (the first try plus four re-drives). */
export const MAX_RECEIVE_COUNT = 5;
/** The worker's timeout; one batch is BATCH_SECONDS of sending, so this leaves room for retries and S3. */
export const WORKER_TIMEOUT = Duration.minutes(5);
/** How old the oldest waiting batch may get before someone should look (a stuck or starved worker). */
export const OLDEST_BATCH_ALARM = Duration.minutes(60);

export interface MailFanoutProps {
  config: PaperboyConfig;
  bucket: PaperboyBucket;
  sender: SesSender;
  /** Async invocation failures of the two functions (the stack's failure queue). */
  failureQueue: IQueue;
  /** Where the worker writes (the stack's MAIL_WRITES). */
  mailWrites: string[];
  /** Override of the plan derived from delivery.maxSendRate (tests). */
  plan?: FanoutPlan;
}

export class MailFanout extends Construct {
  readonly plan: FanoutPlan;
  readonly queue: Queue;
  readonly deadLetters: FailureQueue;
  readonly dispatch: PaperboyFunction;
  readonly worker: PaperboyFunction;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: MailFanoutProps) {
    super(scope, id);
    const plan = props.plan ?? fanoutPlan(props.config.delivery.maxSendRate);
    this.plan = plan;
    this.deadLetters = new FailureQueue(this, "DeadLetters", {
      meaning: `a mail batch failed ${MAX_RECEIVE_COUNT} times (its readers without a sent marker got nothing)`,
    });
    this.queue = new Queue(this, "Batches", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's advice for Lambda event sources: at least six times the function timeout.
      visibilityTimeout: Duration.seconds(WORKER_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetters.queue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    const fanoutEnvironment = {
      PAPERBOY_BUCKET: props.bucket.bucket.bucketName,
      PAPERBOY_MAIL_WORKERS: String(plan.workers),
      PAPERBOY_MAIL_BATCH_SIZE: String(plan.batchSize),
    };

    this.dispatch = new PaperboyFunction(this, "Dispatch", {
      config: props.config,
      failureQueue: props.failureQueue,
      entry: "functions/mail-worker/dispatch/handler.ts",
      description: "Paperboy mail dispatch: digests → batch shards → one SQS message per batch",
      memorySize: 1024,
      timeout: Duration.minutes(5),
      environment: { ...fanoutEnvironment, PAPERBOY_MAIL_QUEUE_URL: this.queue.queueUrl },
    });
    this.worker = new PaperboyFunction(this, "Worker", {
      config: props.config,
      failureQueue: props.failureQueue,
      entry: "functions/mail-worker/handler.ts",
      description: `Paperboy mail worker: one batch → SES at ≤ ${plan.perWorkerRate.toFixed(2)}/s (× ${plan.workers})`,
      timeout: WORKER_TIMEOUT,
      environment: {
        ...fanoutEnvironment,
        PAPERBOY_SES_CONFIGURATION_SET: props.sender.configurationSet.configurationSetName,
      },
      // Reserved = maxConcurrency: no other invocation (a manual test, a re-drive) can add a sender.
      reservedConcurrentExecutions: plan.workers,
    });
    this.worker.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 1,
        maxConcurrency: plan.workers,
        reportBatchItemFailures: true,
      }),
    );

    this.queue.grantSendMessages(this.dispatch.role);
    props.bucket.grantStageAccess(this.dispatch.role, DISPATCH_ACCESS);
    props.bucket.grantStageAccess(this.worker.role, workerAccess(props.mailWrites));
    props.sender.grantSendAsSender(this.worker.role);

    const oldest = new Alarm(this, "BatchesWaiting", {
      alarmDescription: `Paperboy: a mail batch has waited over ${OLDEST_BATCH_ALARM.toMinutes()} min (workers stuck or throttled).`,
      metric: this.queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: "Maximum",
      }),
      threshold: OLDEST_BATCH_ALARM.toSeconds(),
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.alarms = [this.deadLetters.alarm, oldest];
  }
}
