/** FeedFetcher over global fetch: per-attempt timeout, streamed size cap, bounded retries with jitter. */
import { FetchError } from "../domain/errors.js";
import type { FeedFetcher, FetchedFeed } from "../ports/index.js";

export interface HttpFeedFetcherOptions {
  /** Per attempt, headers and body included. Default 20 s. */
  timeoutMs?: number;
  /** Largest body accepted; enforced while streaming. Default 20 MB. */
  maxBytes?: number;
  /** Retries after the first attempt on network errors, timeouts, 429 and 5xx. Default 2 (3 attempts). */
  retries?: number;
  /** First backoff step; attempt n waits a random time in [0, baseDelayMs·2ⁿ) ("full jitter"). Default 500 ms. */
  baseDelayMs?: number;
  /** Cap of any wait, Retry-After included. Default 30 s. */
  maxDelayMs?: number;
  userAgent?: string;
  /** Injected for tests. */
  fetch?: typeof globalThis.fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const DEFAULTS = {
  timeoutMs: 20_000,
  maxBytes: 20 * 1024 * 1024,
  retries: 2,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  userAgent: "Paperboy/0.1 (daily research-paper digest; feed reader)",
};

const ACCEPT =
  "application/rss+xml, application/atom+xml, application/feed+json, application/json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5";

/** Why one attempt failed, and whether another may succeed. */
interface AttemptFailure {
  error: FetchError;
  retry: boolean;
  /** Server-requested wait (Retry-After), in ms. */
  retryAfterMs?: number;
}

export class HttpFeedFetcher implements FeedFetcher {
  private readonly options: Required<Omit<HttpFeedFetcherOptions, "fetch" | "sleep" | "random">>;
  private readonly fetchImpl: typeof globalThis.fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(options: HttpFeedFetcherOptions = {}) {
    this.options = {
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      maxBytes: options.maxBytes ?? DEFAULTS.maxBytes,
      retries: Math.max(0, options.retries ?? DEFAULTS.retries),
      baseDelayMs: options.baseDelayMs ?? DEFAULTS.baseDelayMs,
      maxDelayMs: options.maxDelayMs ?? DEFAULTS.maxDelayMs,
      userAgent: options.userAgent ?? DEFAULTS.userAgent,
    };
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  async fetch(url: string): Promise<FetchedFeed> {
    if (!/^https?:\/\//i.test(url)) throw new FetchError(`${url}: not an http(s) URL`);
    const attempts = this.options.retries + 1;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.attempt(url);
      if (!("error" in outcome)) return outcome;
      if (!outcome.retry) throw outcome.error;
      if (attempt + 1 >= attempts) {
        if (attempts === 1) throw outcome.error;
        const { message, status, cause } = outcome.error;
        throw new FetchError(`${message} (after ${attempts} attempts)`, status, { cause });
      }
      await this.sleep(this.delay(attempt, outcome.retryAfterMs));
    }
  }

  /** Full jitter (a random wait up to the exponential step), or the server's Retry-After; both capped. */
  private delay(attempt: number, retryAfterMs: number | undefined): number {
    if (retryAfterMs !== undefined) return Math.min(retryAfterMs, this.options.maxDelayMs);
    const step = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** attempt);
    return Math.floor(this.random() * step);
  }

  private async attempt(url: string): Promise<FetchedFeed | AttemptFailure> {
    const { timeoutMs } = this.options;
    // One signal for headers and body: a server that stalls mid-body times out too.
    const signal = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        signal,
        redirect: "follow",
        headers: { "user-agent": this.options.userAgent, accept: ACCEPT },
      });
    } catch (error) {
      return { error: networkError(url, error, timeoutMs), retry: true };
    }
    const { status } = response;
    if (status === 429 || status >= 500) {
      await response.body?.cancel().catch(() => undefined);
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
      return {
        error: new FetchError(`${url}: HTTP ${status}${statusText(response)}`, status),
        retry: true,
        ...(retryAfterMs !== undefined && { retryAfterMs }),
      };
    }
    if (status < 200 || status >= 300) {
      await response.body?.cancel().catch(() => undefined);
      return { error: new FetchError(`${url}: HTTP ${status}${statusText(response)}`, status), retry: false };
    }
    try {
      const body = await this.readBody(url, response);
      const contentType = response.headers.get("content-type") ?? undefined;
      return { url: response.url || url, status, ...(contentType && { contentType }), body };
    } catch (error) {
      if (error instanceof FetchError) return { error, retry: false };
      return { error: networkError(url, error, timeoutMs, status), retry: true };
    }
  }

  /** The body as text, aborting as soon as it passes maxBytes (a Content-Length over the cap fails at once). */
  private async readBody(url: string, response: Response): Promise<string> {
    const { maxBytes } = this.options;
    const tooLarge = () =>
      new FetchError(`${url}: response larger than the ${maxBytes}-byte limit`, response.status);
    const declared = Number(response.headers.get("content-length"));
    if (Number.isFinite(declared) && declared > maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge();
    }
    if (!response.body) return "";
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
    return decodeBody(Buffer.concat(chunks), response.headers.get("content-type"));
  }
}

/**
 * Text of a body in the charset the Content-Type names, else the one an XML declaration names
 * (`<?xml … encoding="ISO-8859-1"?>`, older feeds), else UTF-8.
 */
function decodeBody(bytes: Uint8Array, contentType: string | null): string {
  const declared =
    /charset="?([\w-]+)"?/i.exec(contentType ?? "")?.[1] ??
    /^(?:\uFEFF)?<\?xml[^>]*\bencoding=["']([\w-]+)["']/.exec(
      Buffer.from(bytes.subarray(0, 200)).toString("latin1"),
    )?.[1];
  try {
    return new TextDecoder(declared ?? "utf-8").decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}

/** Retry-After in ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function networkError(url: string, error: unknown, timeoutMs: number, status?: number): FetchError {
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError" || name === "AbortError") {
    return new FetchError(`${url}: no complete answer within ${timeoutMs} ms`, status, { cause: error });
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const detail = cause?.message ?? (error instanceof Error ? error.message : String(error));
  return new FetchError(`${url}: network error: ${detail}`, status, { cause: error });
}

function statusText(response: Response): string {
  return response.statusText ? ` ${response.statusText}` : "";
}
