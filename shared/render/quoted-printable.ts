/**
 * Quoted-printable (RFC 2045 §6.7) for message parts assembled from chunks.
 *
 * Each chunk is encoded on its own by libqp (nodemailer's and mailparser's codec), as if it started a line, and
 * ends with a hard line break of its own or a soft one ("=" CRLF, which decodes to nothing). So the
 * parts decode to exactly the concatenated chunks, and a chunk's encoding never depends on its
 * neighbours: the cards, pills and why-lines that many readers share are encoded once (kept on the
 * chunk), and a message's body is their concatenation.
 */
import { encode, wrap } from "libqp";
import type { Chunk } from "./template.js";

/** RFC 2045 §6.7 (5): encoded lines are at most 76 characters, a soft break's "=" included. */
const LINE = 76;

/**
 * A UTF-8 chunk in quoted-printable, line breaks in canonical CRLF form (RFC 2046 §4.1.1), ending at a
 * line start. A chunk that is a cached piece is encoded once; one made for a single message is not kept.
 */
export function quotedPrintableChunk(chunk: Chunk): Buffer {
  // A joined chunk is its parts' encodings in a row: each part ends at a line start, so that is exact.
  chunk.quotedPrintable ??= chunk.parts
    ? Buffer.concat(chunk.parts.map(quotedPrintableChunk))
    : encodeChunk(chunk.bytes);
  return chunk.quotedPrintable;
}

const EMPTY = Buffer.alloc(0);

/** An empty part as one soft line break: decodes to nothing (an empty body reads as a newline in mailparser). */
const EMPTY_PART = Buffer.from("=\r\n", "latin1");

/** A whole part: its chunks encoded, in order, appended to `out` (a new list without one); never empty. */
export function quotedPrintablePart(chunks: readonly Chunk[], out: Buffer[] = []): Buffer[] {
  const before = out.length;
  for (const chunk of chunks) {
    const encodedChunk = quotedPrintableChunk(chunk);
    if (encodedChunk.length > 0) out.push(encodedChunk);
  }
  if (out.length === before) out.push(EMPTY_PART);
  return out;
}

function encodeChunk(bytes: Buffer): Buffer {
  if (bytes.length === 0) return EMPTY;
  const same = verbatim(bytes);
  if (same) return same;
  // The encoder keeps CR and LF as they are: LF and CRLF become CRLF, a lone CR is encoded (decodes back).
  const lines =
    plainLines(bytes) ??
    encode(bytes)
      .replace(/\r?\n/g, "\r\n")
      .replace(/\r(?!\n)/g, "=0D");
  // Wrapped one short of the limit: the soft break after the last line takes the 76th character.
  const wrapped = wrap(lines, LINE - 1);
  return Buffer.from(wrapped.endsWith("\r\n") ? wrapped : `${wrapped}=\r\n`, "latin1");
}

/**
 * What libqp's encoder (then LF → CRLF) makes of lines of printable ASCII, "=" included, that no line
 * starts with "-" or ends in a space: the text with "=" as "=3D" and CRLF line breaks. Links and topic
 * lists made for one reader are such lines, too long or with too many "=" for verbatim(); this saves
 * them libqp's byte-by-byte pass (its wrap still folds them). Anything else: undefined.
 */
function plainLines(bytes: Buffer): string | undefined {
  let lineStart = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (byte === LF) {
      if (i > lineStart && bytes[i - 1] === SPACE) return undefined;
      lineStart = i + 1;
    } else if (byte < SPACE || byte > 0x7e || (i === lineStart && byte === HYPHEN)) {
      return undefined;
    }
  }
  if (bytes[bytes.length - 1] === SPACE) return undefined;
  return bytes.toString("latin1").replaceAll("=", "=3D").replaceAll("\n", "\r\n");
}

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const HYPHEN = 0x2d;
const EQUALS = 0x3d;
const TILDE = 0x7e;

/**
 * The chunk as libqp writes it, when all libqp would do is write "=" as "=3D" and LF as CRLF: every line
 * printable ASCII, not starting with "-" (libqp escapes that) or ending in a space, and at most LINE - 1
 * characters once encoded (libqp's wrap leaves such lines alone). Most chunks made for one message (a
 * count, a greeting, a piece of a link) are such lines, and one pass over their bytes is far cheaper
 * than libqp's; anything else goes to libqp.
 */
function verbatim(bytes: Buffer): Buffer | undefined {
  let lineStart = 0;
  let width = 0;
  let breaks = 0;
  let equals = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (byte === LF) {
      if (i > lineStart && bytes[i - 1] === SPACE) return undefined;
      breaks++;
      lineStart = i + 1;
      width = 0;
      continue;
    }
    if (byte < SPACE || byte > TILDE || (i === lineStart && byte === HYPHEN)) return undefined;
    if (byte === EQUALS) equals++;
    width += byte === EQUALS ? 3 : 1;
    if (width > LINE - 1) return undefined;
  }
  const last = bytes[bytes.length - 1];
  if (last === SPACE) return undefined;
  const open = last !== LF;
  const out = Buffer.allocUnsafe(bytes.length + 2 * equals + breaks + (open ? 3 : 0));
  let at = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (byte === LF) {
      out[at++] = CR;
      out[at++] = LF;
    } else if (byte === EQUALS) {
      out[at++] = EQUALS;
      out[at++] = 0x33; // "3"
      out[at++] = 0x44; // "D"
    } else {
      out[at++] = byte;
    }
  }
  if (open) {
    out[at++] = EQUALS;
    out[at++] = CR;
    out[at++] = LF;
  }
  return out;
}
