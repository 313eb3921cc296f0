/** Ports: the I/O the pipeline needs. Adapters in shared/adapters implement them (folder/S3, outbox/SES, HTTP). */

/** Key-value object storage with one key layout locally (folder) and on AWS (S3). Keys use "/" separators. */
export interface ObjectStore {
  /** The object's bytes, or undefined when the key does not exist. */
  get(key: string): Promise<Buffer | undefined>;
  put(key: string, body: string | Buffer, contentType?: string): Promise<void>;
  /** Write-once: returns false (and writes nothing) when the key already exists. */
  putIfAbsent(key: string, body: string | Buffer, contentType?: string): Promise<boolean>;
  /** Keys under a prefix, sorted. */
  list(prefix: string): Promise<string[]>;
}

/** One rendered message ready to hand to a mail transport. */
export interface OutgoingMessage {
  from: string;
  to: string;
  /** The complete RFC 5322 message (headers + MIME body). */
  readonly raw: Buffer;
  /**
   * The same bytes as `raw` in pieces, in order, when the composer has them: a mailer that writes the
   * message out (the outbox) writes these and never reads `raw`, which may then be joined only on read.
   */
  rawPieces?: readonly Uint8Array[];
  /** Used by adapters that keep files (outbox) to name them. */
  id: string;
  /** Optional HTML preview (UTF-8) kept beside the .eml by the outbox. */
  html?: string | Buffer;
}

export interface SendResult {
  /** Transport message id (SES MessageId) or the outbox file path. */
  messageId: string;
  /** Paths written (outbox) — shown to the user. */
  paths?: string[];
}

export interface Mailer {
  send(message: OutgoingMessage): Promise<SendResult>;
  /**
   * True for a transport without a send quota (the local outbox, a folder): the mail stage does not pace
   * it under delivery.maxSendRate, which is SES's limit. Unset: paced.
   */
  readonly unpaced?: boolean;
}

export interface FetchedFeed {
  url: string;
  status: number;
  contentType?: string;
  body: string;
}

/** Fetches one feed URL (timeouts, size cap, retries live in the adapter). */
export interface FeedFetcher {
  fetch(url: string): Promise<FetchedFeed>;
}

/** Wall clock, injected so tests use a fake one. */
export interface Clock {
  now(): Date;
}

/** Structured log sink: Powertools Logger in Lambdas, a quiet console logger in the CLI. */
export interface RunLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A RunLog that drops everything (tests, quiet CLI). */
export const silentLog: RunLog = { info() {}, warn() {}, error() {} };
