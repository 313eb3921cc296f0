/**
 * Quoted-printable (RFC 2045 §6.7) for message parts assembled from chunks.
 *
 * Each chunk is encoded on its own as libqp (nodemailer's and mailparser's codec) encodes it, as if it
 * started a line, and ends with a hard line break of its own or a soft one ("=" CRLF, which decodes to
 * nothing). So the parts decode to exactly the concatenated chunks, and a chunk's encoding never
 * depends on its neighbours: the cards, pills and why-lines that many readers share are encoded once
 * (kept on the chunk), and a message's body is their concatenation.
 *
 * The encoder is a single pass of our own that makes each of libqp's decisions (which bytes are
 * escaped, where a line is cut) and writes the same bytes, tested against libqp, without libqp's
 * intermediate strings and regular expressions: about three times as fast on cards with non-ASCII text.
 */
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

/** The chunk's encoding, written into the scratch buffer and copied out at its size. */
function encodeChunk(bytes: Buffer): Buffer {
  if (bytes.length === 0) return EMPTY;
  const worst = WORST_PER_BYTE * bytes.length + SOFT_BREAK_LENGTH;
  if (scratch.length < worst) scratch = Buffer.allocUnsafe(worst);
  const length = writeChunk(bytes, scratch);
  const out = Buffer.allocUnsafe(length);
  scratch.copy(out, 0, 0, length);
  return out;
}

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const HYPHEN = 0x2d;
const EQUALS = 0x3d;
const TILDE = 0x7e;
const HEX = Buffer.from("0123456789ABCDEF", "latin1");

/** "=" CRLF: a line break that decodes to nothing. */
const SOFT_BREAK_LENGTH = 3;

/** An escape: "=" and two upper case hex digits. */
const ESCAPE_LENGTH = 3;

/** libqp's wrap width, one short of LINE: the soft break after a chunk's open last line takes the 76th. */
const WRAP = LINE - 1;

/** libqp's wrap cuts a full line after a blank or a punctuation mark only among its last third. */
const MARGIN = Math.floor(WRAP / 3);

/**
 * Output per input byte at worst: an escape, and a soft break after it (in bytes that are not UTF-8, a
 * line can be cut down to one escape to keep a run of continuation bytes whole). The chunk's closing
 * soft break comes on top.
 */
const WORST_PER_BYTE = ESCAPE_LENGTH + SOFT_BREAK_LENGTH;

// How libqp's encoder writes a byte before its neighbours are looked at (BYTE_KIND).
/** Printable ASCII but "=" and "-": as is. */
const KEPT = 0;
/** "=", controls, DEL and every byte of a multi-byte character: "=XX". */
const ESCAPED = 1;
/** Space and tab: as is, unless a line break or the chunk's end follows (it would be stripped in transit). */
const BLANK = 2;
/** "-": as is, unless it starts a line, where "--" would read as a boundary delimiter. */
const DASH = 3;
/** LF and CRLF: CRLF. A lone CR: "=0D" (it decodes back; written raw, a relay might make it a line break). */
const LINE_END = 4;

const BYTE_KIND = Uint8Array.from({ length: 256 }, (_, byte) => {
  if (byte === SPACE || byte === TAB) return BLANK;
  if (byte === HYPHEN) return DASH;
  if (byte === LF || byte === CR) return LINE_END;
  return byte > SPACE && byte <= TILDE && byte !== EQUALS ? KEPT : ESCAPED;
});

/** What libqp's wrap prefers to cut a line after: blanks and ". , ! ?" as written (never in an escape). */
const CUT_AFTER = Uint8Array.from({ length: 256 }, (_, byte) =>
  " \t.,!?".includes(String.fromCharCode(byte)) ? 1 : 0,
);

/**
 * Where chunks are encoded before they are copied out at their size: one buffer, grown to the largest
 * chunk's worst case, so a chunk costs one exact allocation and no intermediate strings.
 */
let scratch = Buffer.allocUnsafe(0);

/**
 * Writes the chunk into `out` (which holds the worst case) as libqp's encode and then wrap(…, 75) write
 * it, with CRLF line breaks and a soft break after an open last line; returns the length.
 *
 * libqp encodes the whole chunk and then folds each line of the result. Here a line is written until the
 * next byte's encoding would take it past 75 characters; that is when libqp's fold cuts a line, looking
 * at its first 75 characters (softLineEnd). The line is cut where libqp cuts it, and the bytes after
 * the cut are encoded again on the next line (where libqp's fold escapes a "-" that starts it).
 */
function writeChunk(bytes: Buffer, out: Buffer): number {
  const length = bytes.length;
  let at = 0;
  let lineStart = 0;
  let i = 0;
  while (i < length) {
    const byte = bytes[i] as number;
    const kind = BYTE_KIND[byte] as number;
    // Most bytes of a card: checked once, written once.
    if (kind === KEPT && at < lineStart + WRAP) {
      out[at++] = byte;
      i++;
      continue;
    }
    if (kind === LINE_END && (byte === LF || bytes[i + 1] === LF)) {
      out[at++] = CR;
      out[at++] = LF;
      lineStart = at;
      i += byte === CR ? 2 : 1;
      continue;
    }
    const kept = kind === KEPT || keptHere(kind, bytes, i, at === lineStart);
    if (at + (kept ? 1 : ESCAPE_LENGTH) > lineStart + WRAP) {
      const end = softLineEnd(out, lineStart, at);
      i -= encodingsBetween(out, end, at);
      at = writeSoftBreak(out, end);
      lineStart = at;
      continue;
    }
    i++;
    if (kept) {
      out[at++] = byte;
    } else {
      out[at++] = EQUALS;
      out[at++] = HEX[byte >> 4] as number;
      out[at++] = HEX[byte & 0xf] as number;
    }
  }
  return bytes[length - 1] === LF ? at : writeSoftBreak(out, at);
}

/** Whether libqp writes byte `i`, a blank, "-" or a lone CR, as is where it stands. */
function keptHere(kind: number, bytes: Buffer, i: number, lineStart: boolean): boolean {
  if (kind === BLANK) {
    const after = bytes[i + 1];
    return after !== undefined && after !== LF && after !== CR;
  }
  // After a lone CR too, which a relay might make a line break.
  return kind === DASH && !lineStart && bytes[i - 1] !== CR;
}

/** Writes "=" CRLF at `at`; returns where it ends. */
function writeSoftBreak(out: Buffer, at: number): number {
  out[at] = EQUALS;
  out[at + 1] = CR;
  out[at + 2] = LF;
  return at + SOFT_BREAK_LENGTH;
}

/**
 * Where libqp's wrap ends a line that the next byte's encoding does not fit on. It looks at the line's
 * first 75 characters: what is written from `lineStart` to `at`, and the start of an escape that did
 * not fit. Cuts never fall inside an escape.
 */
function softLineEnd(out: Buffer, lineStart: number, at: number): number {
  const full = lineStart + WRAP;
  // After the last blank or punctuation mark among the last 25 characters; if that is the 75th, the
  // soft break needs its place: the line ends before it.
  for (let k = at - 1; k >= full - MARGIN; k--) {
    if (CUT_AFTER[out[k] as number]) return k + 1 < full ? k + 1 : k;
  }
  // Ending in an escape, whole or not (the part that did not fit is dropped): before the multi-byte
  // character it belongs to; a full line that still ends in an escape loses that escape.
  if (at < full || endsInEscape(out, at)) {
    const end = trimUtf8Sequence(out, lineStart, at);
    return end < full ? end : end - ESCAPE_LENGTH;
  }
  // Else the line's last character makes room for the soft break.
  return at - 1;
}

/**
 * The end of a line that ends in escapes, before the escapes of its last multi-byte character, so the
 * soft break does not split it. As libqp's trimUtf8Sequence: a line that is nothing but that character
 * (after a "=2D" that starts it) is kept whole.
 */
function trimUtf8Sequence(out: Buffer, lineStart: number, at: number): number {
  let end = at;
  while (end - lineStart >= ESCAPE_LENGTH && endsInEscape(out, end)) {
    const byte = escapedByte(out, end);
    if (byte < 0x80) break;
    end -= ESCAPE_LENGTH;
    if (byte >= 0xc0) break; // the lead byte
  }
  const first = lineStart + ESCAPE_LENGTH;
  const startsWithDash = endsInEscape(out, first) && escapedByte(out, first) === HYPHEN;
  return end - lineStart > (startsWithDash ? ESCAPE_LENGTH : 0) ? end : at;
}

/**
 * Whether what is written before `end` ends in an escape: "=" is written only as an escape's first
 * character, so an "=" three characters back is one.
 */
function endsInEscape(out: Buffer, end: number): boolean {
  return out[end - ESCAPE_LENGTH] === EQUALS;
}

/** The byte that the escape ending at `end` stands for. */
function escapedByte(out: Buffer, end: number): number {
  return HEX.indexOf(out[end - 2] as number) * 16 + HEX.indexOf(out[end - 1] as number);
}

/** How many bytes are encoded between `from` and `to` (both at the edges of encodings). */
function encodingsBetween(out: Buffer, from: number, to: number): number {
  let count = 0;
  for (let end = to; end > from; count++) end -= endsInEscape(out, end) ? ESCAPE_LENGTH : 1;
  return count;
}
