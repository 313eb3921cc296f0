/**
 * The MIME message of a rendered digest: multipart/alternative, UTF-8 text and HTML parts in
 * quoted-printable.
 *
 * Every header line is encoded and folded by nodemailer (MimeNode: RFC 2047 words, address lists,
 * dates; mime-funcs for values that are plain ASCII by construction). The body is framed here, per
 * RFC 2046 §5.1.1. Both parts are quoted-printable, encoded chunk by chunk (quoted-printable.ts): the
 * pieces many readers share are encoded once, and a message is their concatenation. Quoted-printable
 * always writes "=" as "=3D", so a boundary containing "=_" can never occur inside a part and can be
 * the same for every message of a day. MailComposer's streams took 1.1 ms a message (61 % of a
 * 10,000-reader run, measured); test/unit/render-mime.test.ts checks the result parses exactly like
 * MailComposer's output.
 */
import { hash } from "node:crypto";
import addressparser from "nodemailer/lib/addressparser/index.js";
import mimeFuncs from "nodemailer/lib/mime-funcs/index.js";
import MimeNode from "nodemailer/lib/mime-node/index.js";
import { keys } from "../domain/keys.js";
import { partChunks, type RenderedDigest } from "./digest.js";
import { RenderError } from "./errors.js";
import { cleanText, headerValue, safeHttpUrl } from "./escape.js";
import { parseDay } from "./format.js";
import { Memo } from "./memo.js";
import { quotedPrintablePart } from "./quoted-printable.js";
import type { Chunk } from "./template.js";

export interface MessageOptions {
  from: string;
  to: string;
  replyTo?: string;
  /** The digest date YYYY-MM-DD (X-Paperboy-Date); a full ISO date-time also sets the Date header. */
  date: string;
  /** Without one: a stable id from the date and the recipient, so a resend keeps its Message-ID. */
  messageId?: string;
  /** Adds List-Unsubscribe, and List-Unsubscribe-Post (RFC 8058 one-click) for https URLs. */
  unsubscribeUrl?: string;
  /** Extra headers; names must be plain tokens and may not replace the message's own headers. */
  headers?: Record<string, string>;
  /** The Date header; defaults to `date` when it has a time, else to now. */
  sentAt?: Date;
}

interface Mailbox {
  name: string;
  address: string;
}

// Headers the message sets itself; a caller's `headers` cannot replace or add to them.
const RESERVED = new Set([
  "from",
  "to",
  "cc",
  "bcc",
  "reply-to",
  "sender",
  "subject",
  "date",
  "message-id",
  "mime-version",
  "content-type",
  "content-transfer-encoding",
  "list-unsubscribe",
  "list-unsubscribe-post",
  "x-paperboy-date",
]);

const CRLF = "\r\n";
/** Header lines are folded at 76 characters. */
const LINE = 76;

/** A message as its bytes in pieces, in order: the headers, then the parts' encoded chunks. */
export interface MessagePieces {
  /** Never modify one: most are cached encodings that other messages of the day share. */
  readonly pieces: readonly Buffer[];
  /** Their total length in bytes. */
  readonly size: number;
}

/** The complete RFC 5322 message of a rendered digest. */
export async function buildMessage(rendered: RenderedDigest, opts: MessageOptions): Promise<Buffer> {
  const { pieces, size } = messagePieces(rendered, opts);
  return Buffer.concat(pieces, size);
}

/**
 * buildMessage's bytes in pieces, not joined: a writer can write them without a new buffer per message
 * (the outbox gathers them into one it reuses). Copying every message into fresh memory was ~10 % of
 * composing 10,000 readers, with the page faults of 436 MB of new buffers.
 */
export function messagePieces(rendered: RenderedDigest, opts: MessageOptions): MessagePieces {
  const day = opts.date.slice(0, 10);
  checkedDay(day);
  const from = sender(opts.from);
  const to = mailbox(opts.to, "to");
  const lines = [from.line, recipientLine(to)];
  if (opts.replyTo) lines.push(headerLine("Reply-To", mailbox(opts.replyTo, "replyTo")));
  lines.push(subjectLines.get(rendered.subject, subjectHeader));
  const messageId = opts.messageId ? messageIdOf(opts.messageId) : stableMessageId(day, to.address, from);
  lines.push(preparedLine("Message-ID", messageId));
  const sentAt = opts.sentAt ?? (opts.date.length > 10 ? new Date(opts.date) : new Date());
  // The header shows whole seconds; so does the cache key (one encoding a second, not one a message).
  const second = Math.floor(sentAt.getTime() / 1000);
  lines.push(dateLines.get(second, dateHeader));
  lines.push(dayLines.get(day, dayHeader));
  for (const [name, value] of Object.entries(opts.headers ?? {})) {
    if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,75}$/.test(name) || RESERVED.has(name.toLowerCase())) {
      throw new RenderError(`buildMessage: header name "${headerValue(name, 80)}" is not allowed`);
    }
    lines.push(headerLine(name, headerValue(value)));
  }
  const unsubscribe = safeHttpUrl(opts.unsubscribeUrl);
  if (unsubscribe) {
    // safeHttpUrl returns the WHATWG serialization: printable ASCII, no spaces.
    lines.push(preparedLine("List-Unsubscribe", `<${unsubscribe}>`));
    if (unsubscribe.startsWith("https:")) {
      lines.push(headerLine("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"));
    }
  }
  const frame = framing(day);
  lines.push(frame.rootHeaders);
  return pieced(
    `${lines.join(CRLF)}${CRLF}${CRLF}${frame.textStart}`,
    partChunks(rendered, "text"),
    frame.htmlStart,
    partChunks(rendered, "html"),
    frame.end,
  );
}

/** The URL of a day's archive page under the configured archive base URL. */
export function archiveUrlFor(baseUrl: string, date: string): string | undefined {
  const base = safeHttpUrl(baseUrl);
  if (!base) return undefined;
  return new URL(keys.archive(date), base.endsWith("/") ? base : `${base}/`).href;
}

/** head + text + middle + html + end, the parts quoted-printable chunk by chunk, as pieces. */
function pieced(
  head: string,
  textChunks: readonly Chunk[],
  middle: Buffer,
  htmlChunks: readonly Chunk[],
  end: Buffer,
): MessagePieces {
  const pieces: Buffer[] = [Buffer.from(head, "latin1")];
  quotedPrintablePart(textChunks, pieces);
  pieces.push(middle);
  quotedPrintablePart(htmlChunks, pieces);
  pieces.push(end);
  let size = 0;
  for (const piece of pieces) size += piece.length;
  return { pieces, size };
}

interface Framing {
  rootHeaders: string;
  textStart: string;
  /** The same bytes in every message of the day: made once. */
  htmlStart: Buffer;
  end: Buffer;
}

const framings = new Memo<string, Framing>(32);

/** MIME-Version, the multipart Content-Type and the part headers, by nodemailer, once per day. */
function framing(day: string): Framing {
  return framings.get(day, makeFraming);
}

function makeFraming(day: string): Framing {
  const boundary = `=_Paperboy-${day}-alternative`;
  const root = new MimeNode(`multipart/alternative; boundary="${boundary}"`, { baseBoundary: day });
  const part = (type: string) => {
    const node = root.createChild(`${type}; charset=utf-8`);
    node.setHeader("Content-Transfer-Encoding", "quoted-printable");
    return node.buildHeaders();
  };
  return {
    rootHeaders: `${headerLine("MIME-Version", "1.0")}${CRLF}${headerLine("Content-Type", `multipart/alternative; boundary="${boundary}"`)}`,
    textStart: `--${boundary}${CRLF}${part("text/plain")}${CRLF}${CRLF}`,
    htmlStart: Buffer.from(`${CRLF}--${boundary}${CRLF}${part("text/html")}${CRLF}${CRLF}`, "latin1"),
    end: Buffer.from(`${CRLF}--${boundary}--${CRLF}`, "latin1"),
  };
}

// Header lines by value: From, Subject (a day has few distinct subjects), Date and the fixed headers
// repeat across a day's readers; each is encoded once. Bounded: cleared when full. The lines every
// message has are kept by their own value (no key to build): sender, subject, second, day.
const headerLines = new Memo<string, string>(4096);
const subjectLines = new Memo<string, string>(4096);
const dateLines = new Memo<number, string>(64);
const dayLines = new Memo<string, string>(32);

interface Sender {
  line: string;
  /** The domain of Message-IDs made for this sender. */
  idDomain: string;
}
const senders = new Memo<string, Sender>(64);

// What the per-kind memos make on a miss (made once: no closure per message).
const subjectHeader = (subject: string) => headerLine("Subject", headerValue(subject, 300));
const dateHeader = (second: number) => headerLine("Date", new Date(second * 1000));
const dayHeader = (day: string) => headerLine("X-Paperboy-Date", day);

/** The From line and what Message-IDs need of the sender, once per sender. */
function sender(value: string): Sender {
  return senders.get(value, makeSender);
}

function makeSender(value: string): Sender {
  const from = mailbox(value, "from");
  const domain = (from.address.split("@")[1] ?? "paperboy.local").replace(/[^A-Za-z0-9.-]/g, "");
  return { line: headerLine("From", from), idDomain: domain || "paperboy.local" };
}
const lineHolder = new MimeNode("multipart/mixed");

/** One header line encoded and folded by nodemailer's MimeNode (RFC 2047 words, addresses, dates). */
function headerLine(name: string, value: string | Date | Mailbox): string {
  const key = `${name}\n${value instanceof Date ? value.getTime() : typeof value === "string" ? value : `${value.name}\n${value.address}`}`;
  return headerLines.get(key, () => {
    // A detached child: never appended to the holder, so nothing accumulates.
    // baseBoundary given: the node would otherwise draw random bytes for a boundary it never uses.
    const node = new MimeNode(undefined, {
      rootNode: lineHolder,
      parentNode: lineHolder,
      baseBoundary: "line",
    });
    // nodemailer takes Date and address objects here (its typings say only strings).
    (node.setHeader as (key: string, value: string | Date | Mailbox) => MimeNode).call(node, name, value);
    const line = node.buildHeaders();
    if (line.includes(`${CRLF}${CRLF}`) || !/^[\x20-\x7e\r\n\t]*$/.test(line)) {
      throw new RenderError(`buildMessage: header ${name} did not encode to one ASCII header`);
    }
    return line;
  });
}

/** To: a bare ASCII address (every bench and most real readers) is its own header value. */
function recipientLine(to: Mailbox): string {
  return !to.name && /^[\x21-\x7e]+$/.test(to.address)
    ? preparedLine("To", to.address)
    : headerLine("To", to);
}

/**
 * A header whose value is printable ASCII without spaces by construction: only folded. A line shorter
 * than a folded line is its own folding (foldLines returns it as it is), as To and Message-ID usually are.
 */
function preparedLine(name: string, value: string): string {
  const line = `${name}: ${value}`;
  return line.length < LINE ? line : mimeFuncs.foldLines(line, LINE);
}

const PLAIN_ADDRESS = /^[^\s@<>",;:]+@[^\s@<>",;:]+$/;
/** An address of RFC 5322 atext and a plain domain: no name, comment, quote or group to parse. */
const BARE_ADDRESS = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+$/;
// Sender and reply-to are the same in every message of a run: parsed once. Bounded.
const mailboxes = new Memo<string, Mailbox>(256);

/** Exactly one address with a plausible mailbox; anything else (lists, groups, injected headers) throws. */
function mailbox(value: string, field: string): Mailbox {
  // A bare address (most recipients) is its own mailbox: nothing for the address parser to do.
  if (BARE_ADDRESS.test(value)) return { name: "", address: value };
  return mailboxes.get(value, () => {
    const parsed = addressparser(headerValue(value), { flatten: true });
    const [first] = parsed;
    if (parsed.length !== 1 || !first || !PLAIN_ADDRESS.test(first.address)) {
      throw new RenderError(
        `buildMessage: ${field} must be one e-mail address, got "${headerValue(value, 120)}"`,
      );
    }
    return { name: cleanText(first.name), address: first.address };
  });
}

let lastDay = "";

/** parseDay, remembered for the last day seen (every message of a run has the same one). */
function checkedDay(day: string): void {
  if (day === lastDay) return;
  parseDay(day);
  lastDay = day;
}

function messageIdOf(value: string): string {
  const id = headerValue(value, 250).replace(/[<>\s]/g, "");
  if (!/^[^@]+@[^@]+$/.test(id)) throw new RenderError(`buildMessage: messageId "${id}" is not local@domain`);
  return `<${id}>`;
}

function stableMessageId(day: string, to: string, from: Sender): string {
  const digest = hash("sha256", `${day}\n${to.toLowerCase()}`, "hex").slice(0, 24);
  return `<digest.${day}.${digest}@${from.idDomain}>`;
}
