/** The one private bucket: raw papers, results, rendered digests and run state, in the folder's key layout. */
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import { type IGrantable, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";

/** What one stage may do in the bucket, by key prefix of shared/domain/keys.ts (e.g. "raw/"). */
export interface StageAccess {
  read?: readonly string[];
  write?: readonly string[];
}

export interface PaperboyBucketProps {
  /** Days to keep raw/ (re-fetchable from the sources). */
  rawRetentionDays?: number;
  /** Days to keep rendered digests/ (copies of what was sent). */
  renderedRetentionDays?: number;
}

export class PaperboyBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: PaperboyBucketProps = {}) {
    super(scope, id);
    this.bucket = new Bucket(this, "Bucket", {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      // Retained on stack deletion: it holds the sent markers that stop a re-run from mailing twice.
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: "expire-raw",
          prefix: "raw/",
          expiration: Duration.days(props.rawRetentionDays ?? 30),
        },
        {
          id: "expire-rendered",
          prefix: "digests/",
          expiration: Duration.days(props.renderedRetentionDays ?? 90),
        },
        {
          id: "expire-old-versions",
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
          expiredObjectDeleteMarker: true,
        },
      ],
    });
  }

  /**
   * Grants a stage exact object actions on its prefixes, and ListBucket on this bucket only (needed to
   * list raw/, and so that a missing key reads as 404 rather than 403). No `grant*` wildcards.
   */
  grantStageAccess(grantee: IGrantable, access: StageAccess): void {
    const objects = (prefixes: readonly string[]) => prefixes.map((p) => this.bucket.arnForObjects(`${p}*`));
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ["s3:ListBucket"], resources: [this.bucket.bucketArn] }),
    );
    if (access.read?.length) {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({ actions: ["s3:GetObject"], resources: objects(access.read) }),
      );
    }
    if (access.write?.length) {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({ actions: ["s3:PutObject"], resources: objects(access.write) }),
      );
    }
  }
}
