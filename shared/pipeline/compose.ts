/**
 * Composing one reader's message: the unsubscribe link, the digest rendered from cached cards, and the
 * complete MIME message. The mail stage and the benchmark use this; compose-pool.ts runs the same
 * composer on worker threads when a long reader list meets a machine with more than one core.
 */
import type { PaperboyConfig } from "../config/schema.js";
import { subscriberId } from "../domain/subscriber.js";
import type { Digest } from "../domain/tagging.js";
import { archiveUrlFor, buildMessage, createDigestRenderer, htmlBytes } from "../render/index.js";
import { unsubscribeLinker } from "../unsubscribe/token.js";

/** Everything a composer needs besides the digests; plain data, so it can travel to a worker thread. */
export interface ComposeSetup {
  config: PaperboyConfig;
  /** Run date, YYYY-MM-DD. */
  date: string;
  /** Notes for every reader (sources missing or stale today). */
  notes: string[];
  /** The note a reader with nothing today sees instead of papers. */
  emptyNote: string;
  /** Signs per-reader one-click unsubscribe links under this endpoint. */
  unsubscribe?: { baseUrl: string; key: Uint8Array };
  /** Also return the HTML on its own, for a mailer that keeps a browser preview (the outbox). */
  preview?: boolean;
}

export interface ComposedMessage {
  /** The complete RFC 5322 message. */
  raw: Buffer;
  /** The HTML part as UTF-8 (only when the setup asked for a preview). */
  html?: Buffer;
  /** The unsubscribe link in the message, if any. */
  unsubscribeUrl?: string;
}

export interface Composer {
  compose(digest: Digest): Promise<ComposedMessage>;
  /** Releases what the composer holds (worker threads); the in-thread one holds nothing. */
  close(): Promise<void>;
}

/** A composer in this thread: renderer and header caches live as long as it does (one run). */
export function createComposer(setup: ComposeSetup): Composer {
  const { config, date } = setup;
  const archiveUrl = config.delivery.archiveBaseUrl
    ? archiveUrlFor(config.delivery.archiveBaseUrl, date)
    : undefined;
  const renderer = createDigestRenderer({
    date,
    topics: config.topics,
    from: config.delivery.from,
    ...(config.delivery.replyTo ? { replyTo: config.delivery.replyTo } : {}),
    subjectPrefix: config.delivery.subjectPrefix,
    ...(archiveUrl ? { archiveUrl } : {}),
    notes: setup.notes,
  });
  // A base URL or key the linker refuses fails each message, as a bad link always has, not the run.
  let linkFor: ((subscriberId: string) => string) | undefined;
  let linkError: unknown;
  try {
    linkFor = setup.unsubscribe
      ? unsubscribeLinker(setup.unsubscribe.baseUrl, Buffer.from(setup.unsubscribe.key))
      : undefined;
  } catch (error) {
    linkError = error;
  }
  return {
    async compose(digest) {
      const email = digest.subscriber.email;
      if (linkError !== undefined) throw linkError;
      const link = linkFor?.(subscriberId(email));
      const note = digest.items.length === 0 ? setup.emptyNote : undefined;
      const rendered = renderer.render(digest, {
        ...(note ? { note } : {}),
        ...(link ? { unsubscribeUrl: link } : {}),
      });
      const raw = await buildMessage(rendered, {
        from: config.delivery.from,
        to: email,
        ...(config.delivery.replyTo ? { replyTo: config.delivery.replyTo } : {}),
        date,
        ...(link ? { unsubscribeUrl: link } : {}),
      });
      // The same bytes the message's HTML part was encoded from (joined once).
      const html = setup.preview ? htmlBytes(rendered) : undefined;
      return { raw, ...(html ? { html } : {}), ...(link ? { unsubscribeUrl: link } : {}) };
    },
    async close() {},
  };
}
