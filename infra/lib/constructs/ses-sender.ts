/** The SES side of delivery: a configuration set, and send permission scoped to the configured sender. */
import { ArnFormat, Stack } from "aws-cdk-lib";
import { type IGrantable, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { ConfigurationSet, ConfigurationSetTlsPolicy, SuppressionReasons } from "aws-cdk-lib/aws-ses";
import { Construct } from "constructs";
import { ConfigError } from "../../../shared/domain/errors.js";

export interface SenderIdentity {
  /** The bare address of `delivery.from`, e.g. digest@paperboy.example. */
  address: string;
  /** Its domain, for accounts that verified the domain rather than the address. */
  domain: string;
}

/** `Paperboy <digest@paperboy.example>` or `digest@paperboy.example` → address and domain. */
export function senderIdentityOf(from: string, file: string): SenderIdentity {
  const address = (/<([^<>\s]+)>\s*$/.exec(from)?.[1] ?? from).trim();
  const match = /^[^@\s]+@([A-Za-z0-9.-]+\.[A-Za-z]{2,})$/.exec(address);
  if (!match?.[1]) {
    throw new ConfigError(
      `${file}: delivery.from: expected an address such as "Paperboy <digest@example.org>", got ${JSON.stringify(from)}`,
    );
  }
  return { address, domain: match[1].toLowerCase() };
}

export interface SesSenderProps {
  identity: SenderIdentity;
}

export class SesSender extends Construct {
  readonly configurationSet: ConfigurationSet;
  readonly identity: SenderIdentity;

  constructor(scope: Construct, id: string, props: SesSenderProps) {
    super(scope, id);
    this.identity = props.identity;
    this.configurationSet = new ConfigurationSet(this, "ConfigurationSet", {
      reputationMetrics: true,
      sendingEnabled: true,
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
  }

  /** ses:SendRawEmail from the configured sender (address or its verified domain) through this configuration set only. */
  grantSendAsSender(grantee: IGrantable): void {
    const stack = Stack.of(this);
    const arn = (resource: string, resourceName: string) =>
      stack.formatArn({ service: "ses", resource, resourceName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ["ses:SendRawEmail"],
        resources: [
          arn("identity", this.identity.address),
          arn("identity", this.identity.domain),
          arn("configuration-set", this.configurationSet.configurationSetName),
        ],
      }),
    );
  }
}
