/**
 * The daily run: an EventBridge Scheduler schedule (config time + timezone) starts a Step Functions
 * state machine that calls fetch → classify → mail with the schedule's date, with bounded retries,
 * a failure queue and alarms at each asynchronous hop. A list too long for one mail function run is
 * first fanned out (dispatch → SQS → workers, waited for); the mail function then sends or settles the
 * rest, and runs again after the in-doubt grace period while any send is in doubt.
 */
import { Duration, TimeZone } from "aws-cdk-lib";
import type { Alarm } from "aws-cdk-lib/aws-cloudwatch";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from "aws-cdk-lib/aws-scheduler";
import { StepFunctionsStartExecution } from "aws-cdk-lib/aws-scheduler-targets";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import {
  Choice,
  Condition,
  DefinitionBody,
  Fail,
  type IChainable,
  type INextable,
  JsonPath,
  LogLevel,
  Pass,
  Result,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
  Wait,
  WaitTime,
} from "aws-cdk-lib/aws-stepfunctions";
import { CallAwsService, LambdaInvoke, SqsSendMessage } from "aws-cdk-lib/aws-stepfunctions-tasks";
import { Construct } from "constructs";
import type { PaperboyConfig } from "../../../shared/config/schema.js";
import { DEFAULT_IN_DOUBT_GRACE_MS } from "../../../shared/delivery/send-protocol.js";
import { alarmAtLeastOnce } from "./alarms.js";
import { FailureQueue } from "./failure-queue.js";

/** Errors a retry cannot fix: a bad event or config (see functions/common). */
export const NON_RETRYABLE_ERRORS = ["RunRequestError", "ConfigError"];
/** Lambda service hiccups: retried quickly. */
export const LAMBDA_SERVICE_ERRORS = [
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.TooManyRequestsException",
];
export const STAGE_RETRY = { maxAttempts: 2, interval: Duration.minutes(1), backoffRate: 2 };
export const SCHEDULE_RETRY = { retryAttempts: 3, maxEventAge: Duration.hours(2) };
/**
 * Wait before mailing the date again while sends are in doubt: the send protocol's grace period plus a
 * minute, so the re-run finds the SES Send events and resends only what SES never took.
 */
export const IN_DOUBT_WAIT = Duration.millis(DEFAULT_IN_DOUBT_GRACE_MS).plus(Duration.minutes(1));
/** Mail re-runs after the grace period (bounded; what is still in doubt after them stays in the run record). */
export const IN_DOUBT_RERUNS = 2;
/** How often the run looks whether the fanned-out batches are all done. */
export const BATCH_POLL = Duration.minutes(1);
/** Seconds of sending the mail function is given before the list is fanned out (its timeout is 10 min). */
export const DIRECT_SEND_SECONDS = 6 * 60;

/** The mail fan-out the run dispatches to when the day's list is too long for one mail function run. */
export interface DailyRunFanout {
  /** Cuts the digests into batches and enqueues them (functions/mail-worker/dispatch). */
  dispatch: IFunction;
  /** The batch queue the workers consume; the run waits until it is empty. */
  batches: IQueue;
  /** Readers the mail function sends by itself; more are fanned out. */
  directLimit: number;
}

export interface DailyRunProps {
  schedule: PaperboyConfig["schedule"];
  fetch: IFunction;
  classify: IFunction;
  mail: IFunction;
  fanout: DailyRunFanout;
  /** Where a failed run is reported ({date, step, error}). */
  failureQueue: IQueue;
  /** The run's timeout; default 2 h (see runTimeout). */
  timeout?: Duration;
}

/**
 * 2 h, or for a long list 1 h (fetch, classify, retries, the in-doubt re-runs) plus 1.5 × the sending time
 * at delivery.maxSendRate: 100,000 readers at 14/s send for about 2 h, so their run may take 4 h.
 */
export function runTimeout(config: Pick<PaperboyConfig, "subscribers" | "delivery">): Duration {
  const sendingSeconds = config.subscribers.length / config.delivery.maxSendRate;
  return Duration.seconds(Math.max(2 * 3600, 3600 + Math.ceil(sendingSeconds * 1.5)));
}

/** Readers the mail function can send within DIRECT_SEND_SECONDS at the configured rate. */
export function directSendLimit(maxSendRate: number): number {
  return Math.floor(maxSendRate * DIRECT_SEND_SECONDS);
}

export class DailyRun extends Construct {
  readonly stateMachine: StateMachine;
  readonly schedule: Schedule;
  readonly scheduleDeadLetters: FailureQueue;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: DailyRunProps) {
    super(scope, id);
    const report = new SqsSendMessage(this, "ReportFailure", {
      queue: props.failureQueue,
      messageBody: TaskInput.fromObject({
        date: JsonPath.stringAt("$.date"),
        step: JsonPath.stringAt("$.failedStep"),
        error: JsonPath.objectAt("$.error"),
        execution: JsonPath.executionId,
      }),
      resultPath: JsonPath.DISCARD,
    }).next(new Fail(this, "RunFailed", { errorPath: "$.error.Error", causePath: "$.error.Cause" }));

    const step = (name: string, fn: IFunction, resultKey = name.toLowerCase()): LambdaInvoke => {
      const task = new LambdaInvoke(this, name, {
        lambdaFunction: fn,
        payload: TaskInput.fromObject({ date: JsonPath.stringAt("$.date") }),
        retryOnServiceExceptions: false,
        resultSelector: { "summary.$": "$.Payload" },
        resultPath: `$.${resultKey}`,
      });
      task.addRetry({ errors: NON_RETRYABLE_ERRORS, maxAttempts: 0 });
      task.addRetry({
        errors: LAMBDA_SERVICE_ERRORS,
        maxAttempts: 3,
        interval: Duration.seconds(2),
        backoffRate: 2,
      });
      task.addRetry({ errors: ["States.ALL"], ...STAGE_RETRY });
      return reportFailureOf(task, name);
    };
    /** After its retries, a failed task names itself in $.failedStep and goes to ReportFailure. */
    const reportFailureOf = <T extends LambdaInvoke | CallAwsService>(task: T, name: string): T => {
      const failed = new Pass(this, `${name}Failed`, {
        result: Result.fromString(name.toLowerCase()),
        resultPath: "$.failedStep",
      });
      task.addCatch(failed.next(report), { resultPath: "$.error" });
      return task;
    };
    // Mail, then while the mail function reports sends in doubt ($.mail.summary.inDoubt, functions/mail):
    // wait out the grace period and mail the date again, at most IN_DOUBT_RERUNS times.
    const mail = step("Mail", props.mail);
    let tail: INextable = mail;
    for (let n = 1; n <= IN_DOUBT_RERUNS; n++) {
      const suffix = n === 1 ? "" : String(n);
      const again = step(`MailAfterGrace${suffix}`, props.mail, "mail");
      const inDoubt = new Choice(this, `InDoubt${suffix}`)
        .when(
          Condition.and(
            Condition.isPresent("$.mail.summary.inDoubt"),
            Condition.numberGreaterThan("$.mail.summary.inDoubt", 0),
          ),
          new Wait(this, `WaitInDoubtGrace${suffix}`, { time: WaitTime.duration(IN_DOUBT_WAIT) }).next(again),
        )
        .otherwise(new Succeed(this, `Mailed${suffix}`));
      tail.next(inDoubt);
      tail = again;
    }

    const classify = step("Classify", props.classify);
    const definition: IChainable = step("Fetch", props.fetch)
      .next(classify)
      .next(
        new Choice(this, "ListSize")
          .when(
            Condition.and(
              Condition.isPresent("$.classify.summary.digests"),
              Condition.numberGreaterThan("$.classify.summary.digests", props.fanout.directLimit),
            ),
            this.fanOut(step("Dispatch", props.fanout.dispatch), props.fanout.batches, mail, reportFailureOf),
          )
          .otherwise(mail),
      );

    this.stateMachine = new StateMachine(this, "StateMachine", {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(definition),
      timeout: props.timeout ?? Duration.hours(2),
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, "Logs", { retention: RetentionDays.ONE_MONTH }),
        level: LogLevel.ALL,
        includeExecutionData: true,
      },
    });

    this.scheduleDeadLetters = new FailureQueue(this, "ScheduleDeadLetters", {
      meaning: "the schedule could not start the daily run",
    });
    const [hour, minute] = props.schedule.time.split(":");
    this.schedule = new Schedule(this, "Schedule", {
      description: `Paperboy daily digest at ${props.schedule.time} ${props.schedule.timezone} (${props.schedule.days})`,
      schedule: ScheduleExpression.cron({
        minute: String(Number(minute)),
        hour: String(Number(hour)),
        weekDay: props.schedule.days,
        timeZone: TimeZone.of(props.schedule.timezone),
      }),
      target: new StepFunctionsStartExecution(this.stateMachine, {
        input: ScheduleTargetInput.fromObject({ date: ContextAttribute.scheduledTime }),
        deadLetterQueue: this.scheduleDeadLetters.queue,
        ...SCHEDULE_RETRY,
      }),
    });

    const runFailed = alarmAtLeastOnce(this, "RunFailedAlarm", {
      description: "Paperboy: a daily run failed after its retries; see the execution in Step Functions.",
      metric: this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: "Sum" }),
    });
    const runTimedOut = alarmAtLeastOnce(this, "RunTimedOutAlarm", {
      description: "Paperboy: a daily run hit the state machine timeout.",
      metric: this.stateMachine.metricTimedOut({ period: Duration.minutes(5), statistic: "Sum" }),
    });
    this.alarms = [runFailed, runTimedOut, this.scheduleDeadLetters.alarm];
  }

  /**
   * Dispatch, then wait until the batch queue is empty (no message waiting or being worked on), then
   * `next`: the mail function sends what the workers left (failed batches) and settles the in-doubt.
   */
  private fanOut(
    dispatch: LambdaInvoke,
    batches: IQueue,
    next: IChainable,
    reportFailureOf: (task: CallAwsService, name: string) => CallAwsService,
  ): IChainable {
    const count = new CallAwsService(this, "CountBatches", {
      service: "sqs",
      action: "getQueueAttributes",
      parameters: {
        QueueUrl: batches.queueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      },
      iamResources: [batches.queueArn],
      resultSelector: {
        "waiting.$": "States.StringToJson($.Attributes.ApproximateNumberOfMessages)",
        "inFlight.$": "States.StringToJson($.Attributes.ApproximateNumberOfMessagesNotVisible)",
      },
      resultPath: "$.batches",
    });
    count.addRetry({ errors: ["States.ALL"], maxAttempts: 3, interval: Duration.seconds(5), backoffRate: 2 });
    reportFailureOf(count, "CountBatches");
    const poll = new Wait(this, "WaitForBatches", { time: WaitTime.duration(BATCH_POLL) }).next(count);
    count.next(
      new Choice(this, "BatchesDone")
        .when(
          Condition.or(
            Condition.numberGreaterThan("$.batches.waiting", 0),
            Condition.numberGreaterThan("$.batches.inFlight", 0),
          ),
          poll,
        )
        .otherwise(next),
    );
    return dispatch.next(poll);
  }
}
