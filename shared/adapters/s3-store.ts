/** ObjectStore on an S3 bucket: the AWS twin of FolderStore, with the same key layout and write-once semantics. */
import {
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import type { ObjectStore } from "../ports/index.js";

/**
 * Attempts per S3 call: the SDK's standard strategy backs off on throttling (503 SlowDown) and 5xx.
 * The stages wrap the store in retryingStore as well, so this stays modest.
 */
export const S3_MAX_ATTEMPTS = 3;
/** Until the response headers; the body of a large object streams after that and is not bounded by it. */
export const S3_REQUEST_TIMEOUT_MS = 10_000;
/**
 * A request timeout that rejects (without `throwOnRequestTimeout` the SDK only logs a warning and waits for
 * the socket). Retrying after a timeout is safe here: write-once puts carry a run token (shared/delivery).
 */
export const S3_CLIENT_CONFIG = {
  maxAttempts: S3_MAX_ATTEMPTS,
  requestHandler: {
    connectionTimeout: 3_000,
    requestTimeout: S3_REQUEST_TIMEOUT_MS,
    throwOnRequestTimeout: true,
  },
} as const;

export class S3Store implements ObjectStore {
  constructor(
    readonly bucket: string,
    private readonly client: S3Client = new S3Client(S3_CLIENT_CONFIG),
  ) {}

  async get(key: string): Promise<Buffer | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!out.Body) return undefined;
      return Buffer.from(await out.Body.transformToByteArray());
    } catch (error) {
      if (error instanceof NoSuchKey || statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async put(key: string, body: string | Buffer, contentType?: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
    );
  }

  /**
   * Write-once via `If-None-Match: *`. S3 answers 412 PreconditionFailed when the key exists and
   * 409 ConditionalRequestConflict when a concurrent conditional write to the same key won the race;
   * both mean "someone else wrote it", so both are false, never a retry.
   */
  async putIfAbsent(key: string, body: string | Buffer, contentType?: string): Promise<boolean> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          IfNoneMatch: "*",
        }),
      );
      return true;
    } catch (error) {
      if (isWriteConflict(error)) return false;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key) out.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out.sort();
  }
}

function isWriteConflict(error: unknown): boolean {
  const status = statusOf(error);
  if (status === 412 || status === 409) return true;
  return (
    error instanceof S3ServiceException &&
    (error.name === "PreconditionFailed" || error.name === "ConditionalRequestConflict")
  );
}

function statusOf(error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
}
