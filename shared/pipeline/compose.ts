/**
 * Composing one reader's message: the unsubscribe link, the digest rendered from cached cards, and the
 * complete MIME message. The mail stage and the benchmark use this; compose-pool.ts runs the same
 * composer on worker threads when a long reader list meets a machine with more than one core.
 */
import type { PaperboyConfig } from "../config/schema.js";
import { subscriberId } from "../domain/subscriber.js";
import type { Digest } from "../domain/tagging.js";
import type { OutgoingMessage } from "../ports/index.js";
import {
  archiveUrlFor,
  createDigestRenderer,
  htmlBytes,
  type MessagePieces,
  messagePieces,
} from "../render/index.js";
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
  /** The complete RFC 5322 message (joined from `pieces` on first read, when it has them). */
  readonly raw: Buffer;
  /** The same bytes in pieces, in order, for a mailer that writes them as they are (outgoingMessage). */
  readonly pieces?: readonly Buffer[];
  /** The message's size in bytes. */
  readonly size: number;
  /** The HTML part as UTF-8 (only when the setup asked for a preview). */
  html?: Buffer;
  /** The unsubscribe link in the message, if any. */
  unsubscribeUrl?: string;
}

export interface Composer {
  /** The reader's message; `id` is their subscriberId when the caller has it already (else made here). */
  compose(digest: Digest, id?: string): Promise<ComposedMessage>;
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
    async compose(digest, id) {
      const email = digest.subscriber.email;
      if (linkError !== undefined) throw linkError;
      const link = linkFor?.(id ?? subscriberId(email));
      const note = digest.items.length === 0 ? setup.emptyNote : undefined;
      const rendered = renderer.render(digest, {
        ...(note ? { note } : {}),
        ...(link ? { unsubscribeUrl: link } : {}),
      });
      const pieces = messagePieces(rendered, {
        from: config.delivery.from,
        to: email,
        ...(config.delivery.replyTo ? { replyTo: config.delivery.replyTo } : {}),
        date,
        ...(link ? { unsubscribeUrl: link } : {}),
      });
      // The same bytes the message's HTML part was encoded from (joined once).
      const html = setup.preview ? htmlBytes(rendered) : undefined;
      return new PiecedMessage(pieces, html, link);
    },
    async close() {},
  };
}

/** A composed message kept in pieces; `raw` joins them the first time someone reads it. */
class PiecedMessage implements ComposedMessage {
  readonly pieces: readonly Buffer[];
  readonly size: number;
  readonly html?: Buffer;
  readonly unsubscribeUrl?: string;
  private joined: Buffer | undefined;

  constructor(message: MessagePieces, html: Buffer | undefined, unsubscribeUrl: string | undefined) {
    this.pieces = message.pieces;
    this.size = message.size;
    if (html) this.html = html;
    if (unsubscribeUrl) this.unsubscribeUrl = unsubscribeUrl;
  }

  get raw(): Buffer {
    this.joined ??= Buffer.concat(this.pieces, this.size);
    return this.joined;
  }
}

/**
 * The message for a mailer: its pieces as `rawPieces` (the outbox writes them without joining them into
 * a new buffer) and `raw` joined only if the mailer reads it (SES, the tests' transports).
 */
export function outgoingMessage(
  composed: ComposedMessage,
  envelope: { from: string; to: string; id: string },
): OutgoingMessage {
  return new ComposedOutgoing(composed, envelope);
}

/** An OutgoingMessage over a composed one (a class: its getter lives on the prototype, not per message). */
class ComposedOutgoing implements OutgoingMessage {
  readonly from: string;
  readonly to: string;
  readonly id: string;
  readonly rawPieces?: readonly Uint8Array[];
  readonly html?: Buffer;

  constructor(
    private readonly composed: ComposedMessage,
    envelope: { from: string; to: string; id: string },
  ) {
    this.from = envelope.from;
    this.to = envelope.to;
    this.id = envelope.id;
    if (composed.pieces) this.rawPieces = composed.pieces;
    if (composed.html) this.html = composed.html;
  }

  get raw(): Buffer {
    return this.composed.raw;
  }
}
