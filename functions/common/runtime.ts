/** Lambda glue shared by the three handlers: env, config, logger, metrics and the run wrapper. */
import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Context } from "aws-lambda";
import * as z from "zod";
import { configSchema, type PaperboyConfig } from "../../shared/config/schema.js";
import { ConfigError } from "../../shared/domain/errors.js";
import type { RunLog } from "../../shared/ports/index.js";
import { parseEnvironment } from "./env.js";
import { parseRunRequest, type RunRequest } from "./run-request.js";

export { MetricUnit };

/** Name of the validated config the deploy puts next to each bundle (see infra/lib/constructs/paperboy-function.ts). */
export const BUNDLED_CONFIG_FILE = "paperboy.config.json";

const envSchema = z.object({
  PAPERBOY_BUCKET: z.string().min(3),
  PAPERBOY_CONFIG_FILE: z.string().min(1).default(BUNDLED_CONFIG_FILE),
  PAPERBOY_SES_CONFIGURATION_SET: z.string().min(1).optional(),
  LAMBDA_TASK_ROOT: z.string().optional(),
});
export type LambdaEnv = z.infer<typeof envSchema>;

export const logger = new Logger({ serviceName: "paperboy" });
export const metrics = new Metrics({ namespace: "Paperboy", serviceName: "paperboy" });

/** The function's environment, validated once per container. */
export function lambdaEnv(env: NodeJS.ProcessEnv = process.env): LambdaEnv {
  return parseEnvironment(envSchema, env);
}

let cachedConfig: { file: string; config: PaperboyConfig } | undefined;

/** The config validated at synth and shipped beside the bundle; re-checked here because it crosses a boundary. */
export function runtimeConfig(env: LambdaEnv): PaperboyConfig {
  const root = env.LAMBDA_TASK_ROOT ?? process.cwd();
  const file = isAbsolute(env.PAPERBOY_CONFIG_FILE)
    ? env.PAPERBOY_CONFIG_FILE
    : resolve(root, env.PAPERBOY_CONFIG_FILE);
  if (cachedConfig?.file === file) return cachedConfig.config;
  const parsed = configSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success)
    throw new ConfigError(`${file}: ${parsed.error.issues[0]?.message ?? "invalid config"}`);
  cachedConfig = { file, config: parsed.data };
  return parsed.data;
}

/** The pipeline's RunLog on the Powertools logger. */
export const runLog: RunLog = {
  info: (message, fields) => logger.info(message, { ...fields }),
  warn: (message, fields) => logger.warn(message, { ...fields }),
  error: (message, fields) => logger.error(message, { ...fields }),
};

export interface StageRun {
  env: LambdaEnv;
  config: PaperboyConfig;
  request: RunRequest;
  log: RunLog;
}

/**
 * Wraps one stage as a Lambda handler: validates env, config and event, tags every log line with the
 * stage and date, logs the summary, and flushes metrics even when the stage throws (the thrown error
 * is what the state machine retries on).
 */
export function stageHandler<T extends object>(stage: string, work: (run: StageRun) => Promise<T>) {
  return async (event: unknown, context?: Context): Promise<T> => {
    if (context) logger.addContext(context);
    try {
      const env = lambdaEnv();
      const config = runtimeConfig(env);
      const request = parseRunRequest(event, config.schedule.timezone);
      logger.appendKeys({ stage, date: request.date });
      const summary = await work({ env, config, request, log: runLog });
      logger.info(`${stage} done`, { summary });
      return summary;
    } catch (error) {
      metrics.addMetric("StageFailures", MetricUnit.Count, 1);
      logger.error(`${stage} failed`, error as Error);
      throw error;
    } finally {
      metrics.publishStoredMetrics();
      logger.resetKeys();
    }
  };
}
