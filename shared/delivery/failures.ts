/**
 * What a failed call to a transport or store means, read from the error's shape only (no SDK import):
 * whether the other side may have acted on it, and whether trying again can help.
 */

export type FailureKind =
  /** The service answered with a throttling error: not accepted; retry after a pause. */
  | "throttled"
  /** The service answered 5xx, or the connection was refused: not accepted; retry. */
  | "transient"
  /** No answer came back after the request left (timeout, reset): the service may have acted on it. */
  | "in-doubt"
  /** The service refused this request for good (e.g. SES MessageRejected): not accepted; do not retry. */
  | "permanent";

const THROTTLING_NAMES = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "TooManyRequestsException",
  "SlowDown",
  "RequestLimitExceeded",
  "ProvisionedThroughputExceededException",
]);
// Codes where the request never reached the service.
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
// Codes and names where the request may have been processed but the answer was lost.
const IN_DOUBT_CODES = new Set(["ECONNRESET", "ETIMEDOUT", "EPIPE", "ECONNABORTED", "UND_ERR_SOCKET"]);
const IN_DOUBT_NAMES = new Set(["TimeoutError", "RequestTimeout", "AbortError"]);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $response?: { statusCode?: unknown };
  cause?: unknown;
}

/** The kind of a failure (see FailureKind). Unknown errors without an HTTP answer count as permanent. */
export function classifyFailure(error: unknown): FailureKind {
  const shape = asShape(error);
  if (!shape) return "permanent";
  const name = typeof shape.name === "string" ? shape.name : "";
  const code = typeof shape.code === "string" ? shape.code : "";
  const message = typeof shape.message === "string" ? shape.message : "";
  const status = httpStatus(shape);
  if (THROTTLING_NAMES.has(name) || THROTTLING_NAMES.has(code) || status === 429) return "throttled";
  if (/maximum sending rate exceeded|rate exceeded|throttl/i.test(message)) return "throttled";
  if (status !== undefined) return status >= 500 ? "transient" : "permanent";
  if (NOT_SENT_CODES.has(code)) return "transient";
  if (IN_DOUBT_CODES.has(code) || IN_DOUBT_NAMES.has(name) || /socket hang up|timed? ?out/i.test(message)) {
    return "in-doubt";
  }
  const cause = shape.cause;
  return cause !== undefined && cause !== error ? classifyFailure(cause) : "permanent";
}

/** A short, single-line description of an error for summaries and logs. */
export function describeFailure(error: unknown): string {
  const shape = asShape(error);
  const name = shape && typeof shape.name === "string" ? shape.name : "Error";
  const message = shape && typeof shape.message === "string" ? shape.message : String(error);
  return `${name}: ${message}`.replace(/[\r\n\t]+/g, " ").slice(0, 300);
}

function httpStatus(shape: ErrorShape): number | undefined {
  const status = shape.$metadata?.httpStatusCode ?? shape.$response?.statusCode;
  return typeof status === "number" && status > 0 ? status : undefined;
}

function asShape(error: unknown): ErrorShape | undefined {
  return typeof error === "object" && error !== null ? (error as ErrorShape) : undefined;
}
