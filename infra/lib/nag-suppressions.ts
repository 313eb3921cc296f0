/** Every cdk-nag acknowledgment of the app, each with its reason. Nothing else in infra/ suppresses. */
import { type CfnResource, Stack, Validations } from "aws-cdk-lib";
import type { IConstruct } from "constructs";
import { FEEDBACK_ACCESS } from "./constructs/bounces.js";
import { DISPATCH_ACCESS, workerAccess } from "./constructs/mail-fanout.js";
import type { StageAccess } from "./constructs/paperboy-bucket.js";
import type { PaperboyFunction } from "./constructs/paperboy-function.js";
import { UNSUBSCRIBE_ACCESS } from "./constructs/unsubscribe.js";
import { MAIL_WRITES, type PaperboyStack, STAGE_ACCESS } from "./paperboy-stack.js";

/** `<LogicalId.Arn>`, the way cdk-nag names a GetAtt in a finding id. */
function arnRef(resource: IConstruct): string {
  const cfn = resource.node.defaultChild as CfnResource;
  return `<${Stack.of(resource).getLogicalId(cfn)}.Arn>`;
}

const XRAY_REASON =
  "X-Ray PutTraceSegments/PutTelemetryRecords (and Step Functions' sampling calls) support no resource-level " +
  "permissions, so AWS requires Resource '*'; the actions themselves are exact, not wildcards.";

export function acknowledgeNagFindings(stack: PaperboyStack): void {
  Validations.of(stack.data.bucket).acknowledge({
    id: "AwsSolutions-S1",
    reason:
      "Server access logs would need a second bucket (itself flagged S1). The bucket is private, TLS-only, " +
      "written only by the three stage roles; CloudTrail data events are the audit path if one is needed.",
  });

  for (const queue of stack.failureQueues) {
    Validations.of(queue).acknowledge({
      id: "AwsSolutions-SQS3",
      reason:
        "This queue is itself a dead-letter/failure destination (schedule DLQ, mail batch DLQ, Lambda on-failure, failed runs); " +
        "giving it another DLQ would only move the same messages; it alarms when not empty.",
    });
  }

  const bucket = arnRef(stack.data.bucket);
  /** X-Ray, and object access under the function's own key prefixes. */
  const acknowledgeFunction = (fn: PaperboyFunction, access: StageAccess) => {
    const prefixes = [...(access.read ?? []), ...(access.write ?? [])];
    Validations.of(fn).acknowledge(
      { id: "AwsSolutions-IAM5[Resource::*]", reason: XRAY_REASON },
      ...[...new Set(prefixes)].map((prefix) => ({
        id: `AwsSolutions-IAM5[Resource::${bucket}/${prefix}*]`,
        reason: `Objects under the function's own key prefix "${prefix}" of the Paperboy bucket (keys are per date and reader), and only GetObject/PutObject.`,
      })),
    );
  };
  // Each function's acknowledgements come from the same access objects its grants are made from.
  for (const [stage, access] of Object.entries(STAGE_ACCESS))
    acknowledgeFunction(stack.stageFunction(stage), access);
  acknowledgeFunction(stack.unsubscribe.handler, UNSUBSCRIBE_ACCESS);
  acknowledgeFunction(stack.feedback.handler, FEEDBACK_ACCESS);
  acknowledgeFunction(stack.fanout.dispatch, DISPATCH_ACCESS);
  acknowledgeFunction(stack.fanout.worker, workerAccess(MAIL_WRITES));

  Validations.of(stack.unsubscribe.signingKey).acknowledge({
    id: "AwsSolutions-SMG4",
    reason:
      "The key signs the unsubscribe link in every digest already sent; rotating it would break those links " +
      "(RFC 8058 one-click unsubscribe must keep working). Only the unsubscribe and mail functions may read it.",
  });

  const machine = stack.run.stateMachine;
  Validations.of(machine).acknowledge(
    {
      id: "AwsSolutions-IAM5[Resource::*]",
      reason: `${XRAY_REASON} The same holds for the CloudWatch Logs delivery actions (logs:CreateLogDelivery etc.) that Step Functions logging needs.`,
    },
    ...[stack.fetch, stack.classify, stack.mail, stack.fanout.dispatch].map((fn) => ({
      id: `AwsSolutions-IAM5[Resource::${arnRef(fn.function)}:*]`,
      reason: "Versions and aliases of this one stage function, added by the LambdaInvoke task's grant.",
    })),
  );
}
