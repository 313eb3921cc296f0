/**
 * The one-click unsubscribe endpoint: a generated signing key in Secrets Manager, a small Lambda behind a
 * public Function URL (the links are in e-mails; the HMAC, not IAM, authorizes), allowed to write only
 * state/suppressed/ in the bucket. The mail function gets the URL and read access to the key.
 */
import { Duration } from "aws-cdk-lib";
import type { IGrantable } from "aws-cdk-lib/aws-iam";
import { type FunctionUrl, FunctionUrlAuthType, InvokeMode } from "aws-cdk-lib/aws-lambda";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { PaperboyConfig } from "../../../shared/config/schema.js";
import type { PaperboyBucket } from "./paperboy-bucket.js";
import { PaperboyFunction } from "./paperboy-function.js";

/** Key prefixes the unsubscribe function may write (shared/delivery/keys.ts). */
export const UNSUBSCRIBE_ACCESS = { write: ["state/suppressed/"] } as const;
/** Unsubscribe requests handled at once (the function's reserved concurrency). */
export const UNSUBSCRIBE_CONCURRENCY = 5;

export interface UnsubscribeEndpointProps {
  config: PaperboyConfig;
  data: PaperboyBucket;
  failureQueue: IQueue;
}

export class UnsubscribeEndpoint extends Construct {
  /** The HMAC key that signs each reader's link; rotating it invalidates the links in sent mail. */
  readonly signingKey: Secret;
  readonly handler: PaperboyFunction;
  readonly url: FunctionUrl;

  constructor(scope: Construct, id: string, props: UnsubscribeEndpointProps) {
    super(scope, id);
    this.signingKey = new Secret(this, "SigningKey", {
      description: "Paperboy: HMAC key of the per-reader unsubscribe links (not a config value)",
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
    this.handler = new PaperboyFunction(this, "Handler", {
      config: props.config,
      failureQueue: props.failureQueue,
      entry: "functions/unsubscribe/handler.ts",
      description: "Paperboy unsubscribe: signed one-click link → state/suppressed/",
      memorySize: 256,
      timeout: Duration.seconds(10),
      environment: {
        PAPERBOY_BUCKET: props.data.bucket.bucketName,
        PAPERBOY_UNSUBSCRIBE_SECRET_ARN: this.signingKey.secretArn,
      },
      // The URL is public: a flood of requests may be throttled here, but never takes the account's
      // concurrency from the mail functions during a run. Real clicks come a few at a time.
      reservedConcurrentExecutions: UNSUBSCRIBE_CONCURRENCY,
    });
    this.signingKey.grantRead(this.handler.role);
    props.data.grantStageAccess(this.handler.role, UNSUBSCRIBE_ACCESS);
    this.url = this.handler.function.addFunctionUrl({
      authType: FunctionUrlAuthType.NONE,
      invokeMode: InvokeMode.BUFFERED,
    });
  }

  /** What the mail function needs to sign links: read access to the key, and the environment naming it and the URL. */
  grantSigning(grantee: IGrantable): Record<string, string> {
    this.signingKey.grantRead(grantee);
    return {
      PAPERBOY_UNSUBSCRIBE_SECRET_ARN: this.signingKey.secretArn,
      PAPERBOY_UNSUBSCRIBE_BASE_URL: this.url.url,
    };
  }
}
