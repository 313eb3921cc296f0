/** Unsubscribe Lambda (Function URL): a signed per-subscriber link → an opt-out recorded in the bucket. */
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from "aws-lambda";
import * as z from "zod";
import { S3Store } from "../../shared/adapters/s3-store.js";
import { subscriberHash } from "../../shared/delivery/keys.js";
import { retryingStore } from "../../shared/delivery/retrying-store.js";
import { ConfigError } from "../../shared/domain/errors.js";
import { handleUnsubscribe } from "../../shared/unsubscribe/endpoint.js";
import { unsubscribeKeyFromEnvironment } from "../../shared/unsubscribe/secret-source.js";
import { logger, MetricUnit, metrics } from "../common/runtime.js";

const envSchema = z.object({
  PAPERBOY_BUCKET: z.string().min(3),
  PAPERBOY_UNSUBSCRIBE_SECRET_ARN: z.string().min(1).optional(),
  PAPERBOY_UNSUBSCRIBE_KEY: z.string().min(1).optional(),
});

export async function handler(event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> {
  try {
    const env = envSchema.parse(process.env);
    const key = await unsubscribeKeyFromEnvironment(env);
    if (!key) throw new ConfigError("no unsubscribe signing key: set PAPERBOY_UNSUBSCRIBE_SECRET_ARN");
    const store = retryingStore(new S3Store(env.PAPERBOY_BUCKET));
    const response = await handleUnsubscribe(
      { method: event.requestContext.http.method, query: event.queryStringParameters ?? {} },
      { store, key, now: () => new Date() },
    );
    if (response.subscriberId) {
      logger.info("unsubscribed", { subscriber: subscriberHash(response.subscriberId) });
      metrics.addMetric("Unsubscribed", MetricUnit.Count, 1);
    } else if (response.status >= 400) {
      logger.warn("unsubscribe request refused", { status: response.status });
    }
    return { statusCode: response.status, headers: response.headers, body: response.body };
  } catch (error) {
    logger.error("unsubscribe failed", error as Error);
    return {
      statusCode: 503,
      headers: { "content-type": "text/plain; charset=utf-8" },
      body: "Please try again later.",
    };
  } finally {
    metrics.publishStoredMetrics();
  }
}
