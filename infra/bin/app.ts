/** CDK app: validates paperboy.config.yaml at synth (a bad config fails with the `paperboy validate` line) and checks cdk-nag. */
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { configFileOf, loadConfigForSynth } from "../lib/load-config.js";
import { acknowledgeNagFindings } from "../lib/nag-suppressions.js";
import { PaperboyStack } from "../lib/paperboy-stack.js";

const app = new App();
const file = configFileOf(app.node.tryGetContext("config"));
const { config, sender } = loadConfigForSynth(file);
const alarmTopicArn: unknown = app.node.tryGetContext("alarmTopicArn");
const stack = new PaperboyStack(app, "Paperboy", {
  description: "Paperboy: a personalized daily research-paper digest",
  config,
  sender,
  ...(typeof alarmTopicArn === "string" && alarmTopicArn ? { alarmTopicArn } : {}),
});
acknowledgeNagFindings(stack);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
