/** An encrypted, TLS-only SQS queue where failed work lands, with an alarm as soon as anything is in it. */
import { Duration } from "aws-cdk-lib";
import type { Alarm } from "aws-cdk-lib/aws-cloudwatch";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { alarmAtLeastOnce } from "./alarms.js";

export interface FailureQueueProps {
  /** What landing here means, for the alarm description. */
  meaning: string;
}

export class FailureQueue extends Construct {
  readonly queue: Queue;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: FailureQueueProps) {
    super(scope, id);
    this.queue = new Queue(this, "Queue", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.alarm = alarmAtLeastOnce(this, "NotEmpty", {
      description: `Paperboy: ${props.meaning}. Read the message in ${id} for the date and error.`,
      metric: this.queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: "Maximum",
      }),
    });
  }
}
