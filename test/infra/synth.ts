/** One synthesized Paperboy stack shared by the infra tests (bundling skipped: these tests read the template). */
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { senderIdentityOf } from "../../infra/lib/constructs/ses-sender.js";
import { acknowledgeNagFindings } from "../../infra/lib/nag-suppressions.js";
import { PaperboyStack } from "../../infra/lib/paperboy-stack.js";
import { parseConfig } from "../../shared/config/load.js";
import type { PaperboyConfig } from "../../shared/config/schema.js";

export const TEST_CONFIG_YAML = `
sources:
  - type: huggingface
  - type: arxiv
    categories: [cs.LG]
topics:
  - id: agents
    name: LLM agents
    keywords: [agent]
subscribers:
  - email: ada@example.org
    topics: [agents]
delivery:
  from: "Paperboy <digest@papers.example.org>"
schedule:
  time: "06:45"
  timezone: Europe/Berlin
  days: MON-FRI
`;

export interface Synthesized {
  app: App;
  stack: PaperboyStack;
  template: Template;
  config: PaperboyConfig;
}

let cached: Synthesized | undefined;

export function synthesized(): Synthesized {
  if (cached) return cached;
  // "aws:cdk:bundling-stacks": [] skips esbuild; bundles are checked by bundle-size.test.ts and `cdk synth`.
  const app = new App({ context: { "aws:cdk:bundling-stacks": [] } });
  const config = parseConfig(TEST_CONFIG_YAML, "test.yaml");
  const stack = new PaperboyStack(app, "Paperboy", {
    config,
    sender: senderIdentityOf(config.delivery.from, "test.yaml"),
  });
  acknowledgeNagFindings(stack);
  cached = { app, stack, template: Template.fromStack(stack), config };
  return cached;
}
