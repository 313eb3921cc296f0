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
  chunk.quotedPrintable ??= encodeChunk(chunk.bytes);
  return chunk.quotedPrintable;
}

const EMPTY = Buffer.alloc(0);

/** An empty part as one soft line break: decodes to nothing (an empty body reads as a newline in mailparser). */
const EMPTY_PART = Buffer.from("=\r\n", "latin1");

/** A whole part: its chunks encoded, in order; never empty. */
export function quotedPrintablePart(chunks: readonly Chunk[]): Buffer[] {
  const out: Buffer[] = [];
  for (const chunk of chunks) {
    const encodedChunk = quotedPrintableChunk(chunk);
    if (encodedChunk.length > 0) out.push(encodedChunk);
  }
  if (out.length === 0) out.push(EMPTY_PART);
  return out;
}

function encodeChunk(bytes: Buffer): Buffer {
  if (bytes.length === 0) return EMPTY;
  // The encoder keeps CR and LF as they are: LF and CRLF become CRLF, a lone CR is encoded (decodes back).
  const lines = encode(bytes)
    .replace(/\r?\n/g, "\r\n")
    .replace(/\r(?!\n)/g, "=0D");
  // Wrapped one short of the limit: the soft break after the last line takes the 76th character.
  const wrapped = wrap(lines, LINE - 1);
  return Buffer.from(wrapped.endsWith("\r\n") ? wrapped : `${wrapped}=\r\n`, "latin1");
}
