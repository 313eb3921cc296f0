/**
 * Quoted-printable (RFC 2045 §6.7) for message parts assembled from chunks.
 *
 * Each chunk is encoded on its own as libqp (nodemailer's and mailparser's codec) encodes it, as if it
 * started a line, and ends with a hard line break of its own or a soft one ("=" CRLF, which decodes to
 * nothing); plain ASCII lines skip libqp's byte-by-byte pass (same bytes, tested). So the
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
  const ascii = scanAscii(bytes);
  if (ascii?.fits) return writeAscii(bytes, ascii);
  // libqp's encoder keeps CR and LF as they are: LF and CRLF become CRLF, a lone CR is encoded (decodes
  // back). For plain ASCII lines all it would do is write "=" as "=3D", so that is done here.
  const lines = ascii
    ? bytes.toString("latin1").replaceAll("=", "=3D").replaceAll("\n", "\r\n")
    : encode(bytes)
        .replace(/\r?\n/g, "\r\n")
        .replace(/\r(?!\n)/g, "=0D");
  // Wrapped one short of the limit: the soft break after the last line takes the 76th character.
  const wrapped = wrap(lines, LINE - 1);
  return Buffer.from(wrapped.endsWith("\r\n") ? wrapped : `${wrapped}=\r\n`, "latin1");
}

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const HYPHEN = 0x2d;
const EQUALS = 0x3d;
const TILDE = 0x7e;

/** A chunk of plain ASCII lines: how many "=" and line breaks it has, and whether every line fits. */
interface AsciiLines {
  equals: number;
  breaks: number;
  /** Every line at most LINE - 1 characters once encoded: libqp's wrap would leave it alone. */
  fits: boolean;
}

/**
 * Lines of printable ASCII, none starting with "-" (libqp escapes that) or ending in a space: all
 * libqp's encoder does to them is write "=" as "=3D" and LF as CRLF. Most chunks made for one message
 * (a count, a greeting, a piece of a link or a why-line) are such lines, and one pass over their bytes
 * is far cheaper than libqp's. Anything else: undefined (libqp encodes it).
 */
function scanAscii(bytes: Buffer): AsciiLines | undefined {
  let lineStart = 0;
  let width = 0;
  let fits = true;
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
    if (width > LINE - 1) fits = false;
  }
  if (bytes[bytes.length - 1] === SPACE) return undefined;
  return { equals, breaks, fits };
}

/** Lines that fit, as libqp writes them: "=" as "=3D", CRLF, and a soft break when the last is open. */
function writeAscii(bytes: Buffer, { equals, breaks }: AsciiLines): Buffer {
  const open = bytes[bytes.length - 1] !== LF;
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
