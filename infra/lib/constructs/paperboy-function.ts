/**
 * One Paperboy Lambda with the house defaults in one place: runtime, arm64, memory, timeout, log group
 * with retention, tracing, its own least-privilege role, bounded async retries with a failure
 * destination, and local esbuild bundling that ships the validated config (and the classifier's model).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { Duration, RemovalPolicy, Stage } from "aws-cdk-lib";
import { Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, Runtime, Tracing } from "aws-cdk-lib/aws-lambda";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import { type BundlingOptions, NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { PaperboyConfig } from "../../../shared/config/schema.js";

/** The repository root (infra/lib/constructs → ../../..). */
export const PROJECT_ROOT = resolve(import.meta.dirname, "../../..");
/** Where the classifier keeps its model files; copied to `model/` beside the classify bundle. */
export const MODEL_DIR = join(PROJECT_ROOT, "shared/classify/model");
/** File name of the config beside each bundle; functions/common/runtime.ts reads the same name. */
export const CONFIG_FILE_IN_BUNDLE = "paperboy.config.json";

/** Latest Node.js runtime aws-cdk-lib offers (cdk-nag L1 wants the newest of the family). */
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;

/**
 * esbuild settings shared by the stack and scripts/bundle-size.ts. ESM output needs a real `require`
 * for the CommonJS dependencies (nodemailer) that load Node built-ins; the banner provides it.
 * The AWS SDK v3 is provided by the Lambda runtime and stays external.
 */
export const LAMBDA_ESBUILD = {
  format: OutputFormat.ESM,
  target: "node22",
  minify: true,
  sourceMap: false,
  mainFields: ["module", "main"],
  externalModules: ["@aws-sdk/*"],
  // React's entry points pick the production build at run time; defining it drops the dev builds.
  define: { "process.env.NODE_ENV": '"production"' },
  banner:
    "import { createRequire as __paperboyCreateRequire } from 'node:module'; const require = __paperboyCreateRequire(import.meta.url);",
} as const;

export interface PaperboyFunctionProps {
  /** Handler file relative to the repository root, e.g. functions/fetch/handler.ts. */
  entry: string;
  description: string;
  config: PaperboyConfig;
  /** Async invocations that still fail after the retries land here (manual `--invocation-type Event` runs, later SQS work). */
  failureQueue: IQueue;
  environment?: Record<string, string>;
  memorySize?: number;
  timeout?: Duration;
  /** Concurrency reserved for (and capped at) this function; unset, it shares the account's pool. */
  reservedConcurrentExecutions?: number;
  /** Copy shared/classify/model/ next to the bundle (the classify function). */
  shipModel?: boolean;
  logRetention?: RetentionDays;
}

export class PaperboyFunction extends Construct {
  /** The handler file, relative to the repository root (scripts/bundle-size.ts bundles it). */
  readonly entry: string;
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: PaperboyFunctionProps) {
    super(scope, id);
    this.entry = props.entry;
    this.logGroup = new LogGroup(this, "Logs", {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Our own role instead of the default one, which carries the broad AWSLambdaBasicExecutionRole.
    this.role = new Role(this, "Role", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: `Paperboy ${id}: its log group plus what the stack grants by intent`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, "Function", {
      entry: join(PROJECT_ROOT, props.entry),
      handler: "handler",
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.minutes(2),
      ...(props.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      role: this.role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, "package-lock.json"),
      // SDK v3 keeps connections alive by itself; this only sets the v2-era AWS_NODEJS_CONNECTION_REUSE_ENABLED.
      awsSdkConnectionReuse: false,
      environment: {
        PAPERBOY_CONFIG_FILE: CONFIG_FILE_IN_BUNDLE,
        POWERTOOLS_SERVICE_NAME: "paperboy",
        POWERTOOLS_METRICS_NAMESPACE: "Paperboy",
        POWERTOOLS_LOG_LEVEL: "INFO",
        ...props.environment,
      },
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(props.failureQueue),
      bundling: bundlingFor(stageConfigFile(props.config, Stage.of(this)?.outdir), props.shipModel ?? false),
    });
  }
}

/** Local esbuild (never Docker), plus the validated config and, for classify, the model files. */
function bundlingFor(configFile: string, shipModel: boolean): BundlingOptions {
  return {
    ...LAMBDA_ESBUILD,
    mainFields: [...LAMBDA_ESBUILD.mainFields],
    externalModules: [...LAMBDA_ESBUILD.externalModules],
    define: { ...LAMBDA_ESBUILD.define },
    forceDockerBundling: false,
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (_inputDir: string, outputDir: string) => [
        `cp ${shellQuote(configFile)} ${shellQuote(join(outputDir, CONFIG_FILE_IN_BUNDLE))}`,
        ...(shipModel && existsSync(MODEL_DIR)
          ? [`cp -R ${shellQuote(MODEL_DIR)} ${shellQuote(join(outputDir, "model"))}`]
          : []),
      ],
    },
  };
}

/**
 * The validated config (defaults applied) as JSON in `dir` (the cloud assembly when synthesizing), named
 * by its hash, for the bundling hook to copy. It is part of the bundle output, so the asset hash changes
 * with the config and `cdk deploy` ships it.
 */
export function stageConfigFile(config: PaperboyConfig, dir: string = tmpdir()): string {
  const json = `${JSON.stringify(config, null, 2)}\n`;
  const hash = createHash("sha256").update(json).digest("hex").slice(0, 16);
  const file = join(dir, "paperboy-config", `${hash}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, json);
  return file;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
