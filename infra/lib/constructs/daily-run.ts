/**
 * The daily run: an EventBridge Scheduler schedule (config time + timezone) starts a Step Functions
 * state machine that calls fetch → classify → mail with the schedule's date, with bounded retries,
 * a failure queue and alarms at each asynchronous hop.
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
  DefinitionBody,
  Fail,
  JsonPath,
  LogLevel,
  Pass,
  Result,
  StateMachine,
  StateMachineType,
  TaskInput,
} from "aws-cdk-lib/aws-stepfunctions";
import { LambdaInvoke, SqsSendMessage } from "aws-cdk-lib/aws-stepfunctions-tasks";
import { Construct } from "constructs";
import type { PaperboyConfig } from "../../../shared/config/schema.js";
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

export interface DailyRunProps {
  schedule: PaperboyConfig["schedule"];
  fetch: IFunction;
  classify: IFunction;
  mail: IFunction;
  /** Where a failed run is reported ({date, step, error}). */
  failureQueue: IQueue;
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

    const step = (name: string, fn: IFunction): LambdaInvoke => {
      const task = new LambdaInvoke(this, name, {
        lambdaFunction: fn,
        payload: TaskInput.fromObject({ date: JsonPath.stringAt("$.date") }),
        retryOnServiceExceptions: false,
        resultSelector: { "summary.$": "$.Payload" },
        resultPath: `$.${name.toLowerCase()}`,
      });
      task.addRetry({ errors: NON_RETRYABLE_ERRORS, maxAttempts: 0 });
      task.addRetry({
        errors: LAMBDA_SERVICE_ERRORS,
        maxAttempts: 3,
        interval: Duration.seconds(2),
        backoffRate: 2,
      });
      task.addRetry({ errors: ["States.ALL"], ...STAGE_RETRY });
      const failed = new Pass(this, `${name}Failed`, {
        result: Result.fromString(name.toLowerCase()),
        resultPath: "$.failedStep",
      });
      task.addCatch(failed.next(report), { resultPath: "$.error" });
      return task;
    };
    const definition = step("Fetch", props.fetch)
      .next(step("Classify", props.classify))
      .next(step("Mail", props.mail));

    this.stateMachine = new StateMachine(this, "StateMachine", {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(definition),
      timeout: Duration.hours(2),
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
}
