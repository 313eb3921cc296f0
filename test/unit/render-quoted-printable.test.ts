import { decode, encode, wrap } from "libqp";
import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../bench/workload.js";
import { buildMessage } from "../../shared/render/index.js";
import { quotedPrintableChunk, quotedPrintablePart } from "../../shared/render/quoted-printable.js";
import { type Chunk, chunkOf, joinedChunk } from "../../shared/render/template.js";

/** What a part decodes to: each chunk's line breaks in canonical CRLF form (a lone CR stays), joined. */
function canonical(chunks: Chunk[]): Buffer {
  return Buffer.concat(
    chunks.map((chunk) => Buffer.from(chunk.bytes.toString("latin1").replace(/\r?\n/g, "\r\n"), "latin1")),
  );
}

// Pieces that stress the encoder: line ends with and without CR, trailing blanks, "=", multi-byte
// UTF-8, long words, a would-be boundary, a lone CR and dot lines.
const PIECES = [
  "a",
  " ",
  "\t",
  "\n",
  "\r\n",
  "\r",
  "=",
  "=3D",
  "é",
  "—",
  "🚀",
  "大規模",
  "--=_Paperboy-2026-08-18-alternative",
  '<td style="padding:0 0 12px 0;color:#111">',
  "x".repeat(75),
  "y".repeat(76),
  "z".repeat(200),
  ".",
  "From ",
  "-",
  "Hi Reader 7, here are today's 10 papers for you.",
  "https://unsubscribe.paperboy.example/u?s=reader7-bench.paperboy.example-1a2b3c4d5e&sig=AbC_dEf-123",
];

function randomChunks(next: () => number): Chunk[] {
  const chunks: Chunk[] = [];
  const count = Math.floor(next() * 12);
  for (let c = 0; c < count; c++) {
    let text = "";
    const pieces = Math.floor(next() * 10);
    for (let p = 0; p < pieces; p++) text += PIECES[Math.floor(next() * PIECES.length)];
    chunks.push(chunkOf(text));
  }
  return chunks;
}

describe("quoted-printable parts assembled from chunks", () => {
  it("decode to the joined chunks, in lines of at most 76 printable ASCII characters", () => {
    const next = seededRandom(7);
    for (let round = 0; round < 3000; round++) {
      // Prepare
      const chunks = randomChunks(next);

      // Act
      const encoded = Buffer.concat(quotedPrintablePart(chunks));

      // Assess
      const text = encoded.toString("latin1");
      expect(
        decode(encoded).equals(canonical(chunks)),
        JSON.stringify(chunks.map((c) => c.bytes.toString())),
      ).toBe(true);
      expect(text).toMatch(/^[\t\x20-\x7e\r\n]*$/);
      expect(text.endsWith("\r\n")).toBe(true);
      expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
      for (const line of text.split("\r\n")) {
        expect(line.length).toBeLessThanOrEqual(76);
        // Trailing blanks would be stripped in transit (RFC 2045 §6.7 (3)).
        expect(line).not.toMatch(/[ \t]$/);
        // As libqp writes it: no line starts like a boundary delimiter.
        expect(line.startsWith("-")).toBe(false);
      }
      // "=" is always encoded, so a boundary containing "=_" can never occur in a part.
      expect(text).not.toContain("=_");
    }
  });

  it("writes exactly what libqp writes for each chunk, shortcut or not", () => {
    // The reference: libqp's encoder and wrapper on the chunk alone, then a soft break to end the line.
    const reference = (bytes: Buffer) => {
      if (bytes.length === 0) return "";
      const lines = encode(bytes)
        .replace(/\r?\n/g, "\r\n")
        .replace(/\r(?!\n)/g, "=0D");
      const wrapped = wrap(lines, 75);
      return wrapped.endsWith("\r\n") ? wrapped : `${wrapped}=\r\n`;
    };
    const next = seededRandom(11);
    let plain = 0;
    for (let round = 0; round < 5000; round++) {
      for (const chunk of randomChunks(next)) {
        const text = chunk.bytes.toString("latin1");
        if (/^[\x20-\x3c\x3e-\x7e\n]*$/.test(text)) plain++;
        expect(quotedPrintableChunk(chunk).toString("latin1"), JSON.stringify(text)).toBe(
          reference(chunk.bytes),
        );
      }
    }
    // Both ways were taken: chunks that need no encoding and chunks that do.
    expect(plain).toBeGreaterThan(1000);
  });

  it("encodes a joined chunk as its parts in a row, and it decodes to the joined bytes", () => {
    const next = seededRandom(13);
    for (let round = 0; round < 500; round++) {
      const parts = randomChunks(next);
      const joined = joinedChunk(parts);
      expect(joined.bytes.equals(Buffer.concat(parts.map((p) => p.bytes)))).toBe(true);
      const encoded = quotedPrintableChunk(joined);
      expect(encoded.equals(Buffer.concat(parts.map(quotedPrintableChunk)))).toBe(true);
      expect(decode(Buffer.concat(quotedPrintablePart([joined]))).equals(canonical(parts))).toBe(true);
    }
  });

  it("encodes a chunk the same wherever it stands, and a shared chunk once", () => {
    const markup = `<p style="margin:0">Über ${"long ".repeat(40)}</p>`;
    const card = chunkOf(markup);
    const alone = quotedPrintableChunk(card);
    const [, second] = quotedPrintablePart([chunkOf("lead-in without a line end"), card]);
    expect(second).toBe(alone);
    const twin = chunkOf(markup);
    expect(quotedPrintableChunk(twin)).not.toBe(alone);
    expect(quotedPrintableChunk(twin).equals(alone)).toBe(true);
  });

  it("keeps a boundary written into feed text from splitting the message", async () => {
    // Prepare: a title that tries to close the part and open one of its own.
    const forged = "\n--=_Paperboy-2026-08-18-alternative\nContent-Type: text/html\n\n<b>forged</b>\n";
    const html = `<p>${forged}</p>`;
    const text = `Title:${forged}end\n`;

    // Act
    const raw = await buildMessage(
      { subject: "s", html, text },
      { from: "digest@paperboy.example", to: "ana@example.org", date: "2026-08-18" },
    );
    const mail = await simpleParser(raw);

    // Assess
    expect(mail.attachments).toEqual([]);
    expect(mail.html).toBe(html);
    expect(mail.text).toBe(text);
    const source = raw.toString("latin1");
    expect(source.match(/^--=_Paperboy-2026-08-18-alternative\r$/gm)).toHaveLength(2);
  });
});
