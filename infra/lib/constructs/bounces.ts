/**
 * SES feedback: the configuration set publishes Send, Bounce and Complaint events to an SNS topic; a
 * Lambda records suppressions (permanent bounces, complaints) and acceptance records (sends, which settle
 * in-doubt deliveries), writing only state/suppressed/ and state/accepted/.
 */
import { Duration, Stack } from "aws-cdk-lib";
import { PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { type ConfigurationSet, EmailSendingEvent, EventDestination } from "aws-cdk-lib/aws-ses";
import { Topic } from "aws-cdk-lib/aws-sns";
import { LambdaSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { PaperboyConfig } from "../../../shared/config/schema.js";
import type { PaperboyBucket } from "./paperboy-bucket.js";
import { PaperboyFunction } from "./paperboy-function.js";

/** Key prefixes the feedback function may write (shared/delivery/keys.ts). */
export const FEEDBACK_ACCESS = { write: ["state/suppressed/", "state/accepted/"] } as const;

export interface DeliveryFeedbackProps {
  config: PaperboyConfig;
  data: PaperboyBucket;
  configurationSet: ConfigurationSet;
  failureQueue: IQueue;
}

export class DeliveryFeedback extends Construct {
  readonly topic: Topic;
  readonly handler: PaperboyFunction;

  constructor(scope: Construct, id: string, props: DeliveryFeedbackProps) {
    super(scope, id);
    this.topic = new Topic(this, "Topic", { displayName: "Paperboy SES feedback", enforceSSL: true });
    // SES publishes the configuration set's events; only from this account.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal("ses.amazonaws.com")],
        actions: ["sns:Publish"],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { "AWS:SourceAccount": Stack.of(this).account } },
      }),
    );
    props.configurationSet.addEventDestination("Feedback", {
      destination: EventDestination.snsTopic(this.topic),
      events: [EmailSendingEvent.SEND, EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
    this.handler = new PaperboyFunction(this, "Handler", {
      config: props.config,
      failureQueue: props.failureQueue,
      entry: "functions/bounces/handler.ts",
      description: "Paperboy SES feedback: bounces/complaints → state/suppressed/, sends → state/accepted/",
      memorySize: 256,
      timeout: Duration.seconds(30),
      environment: { PAPERBOY_BUCKET: props.data.bucket.bucketName },
    });
    props.data.grantStageAccess(this.handler.role, FEEDBACK_ACCESS);
    this.topic.addSubscription(new LambdaSubscription(this.handler.function));
  }
}
