/** The one kind of alarm Paperboy raises: "this happened at least once in five minutes". */
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import type { Construct } from "constructs";

export interface AtLeastOnceAlarmProps {
  metric: IMetric;
  description: string;
}

/** Fires when the metric reaches 1 in one period; no data (a quiet day) is not a breach. */
export function alarmAtLeastOnce(scope: Construct, id: string, props: AtLeastOnceAlarmProps): Alarm {
  return new Alarm(scope, id, {
    alarmDescription: props.description,
    metric: props.metric,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}
