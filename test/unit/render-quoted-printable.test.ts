import { decode, encode, wrap } from "libqp";
import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../bench/workload.js";
import { cardHtml } from "../../shared/render/card.js";
import { buildMessage } from "../../shared/render/index.js";
import type { PaperView } from "../../shared/render/paper-view.js";
import { quotedPrintableChunk, quotedPrintablePart } from "../../shared/render/quoted-printable.js";
import { type Chunk, chunkOf, joinedChunk } from "../../shared/render/template.js";

/** What a part decodes to: each chunk's line breaks in canonical CRLF form (a lone CR stays), joined. */
function canonical(chunks: Chunk[]): Buffer {
  return Buffer.concat(
    chunks.map((chunk) => Buffer.from(chunk.bytes.toString("latin1").replace(/\r?\n/g, "\r\n"), "latin1")),
  );
}

/** A real card (3.4 KB): long lines of style attributes, multi-byte text, "Hugging Face ▲ 39" (NBSPs). */
const CARD = cardHtml(
  {
    title: "Scaling Länge — Mixture-of-Experts for Multilingual Retrieval: “naïve” baselines revisited",
    href: "https://arxiv.org/abs/2607.01234",
    authors: "Zoë Müller, José Álvarez, 李华, Søren Ørsted, et al.",
    chips: ["Retrieval", "Multilingual — NLP"],
    chipsLabel: "Also in",
    why: "Matches your topic “Retrieval” (dense retrievers, rerankers) — and 3 of your saved authors.",
    tldr: "We revisit naïve baselines for multilingual retrieval… ".repeat(8),
    links: [
      { label: "Abstract", href: "https://arxiv.org/abs/2607.01234" },
      { label: "Hugging Face ▲ 39", href: "https://huggingface.co/papers/2607.01234" },
      { label: "Code", href: "https://github.com/example/moe-retrieval" },
    ],
    thumbnail: "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2607.01234.png",
    thumbnailAlt: "Scaling Länge — Mixture-of-Experts",
  } satisfies PaperView,
  "h2",
);

/**
 * A long line of mixed text: runs without a blank or punctuation mark where a cut has to fall between
 * escapes of multi-byte characters, "-" and "=" where a cut may land, blanks and NBSPs.
 */
const MIXED = [
  '<a style="color:#9a3412">Hugging\u00a0Face\u00a0▲\u00a039</a> ',
  "größe—naïve".repeat(5),
  "é".repeat(14),
  "-",
  "-x".repeat(8),
  "=",
  "a".repeat(61),
  "▲",
  "b".repeat(66),
  "🚀-大規模 ",
  "z".repeat(70),
  ".",
  "Ø".repeat(30),
  "\t",
].join("");

// Pieces that stress the encoder: line ends with and without CR, trailing blanks, "=", multi-byte
// UTF-8, controls, long words and long multi-byte runs (cuts next to escapes), lines of exactly 75 and
// 76 encoded characters, a would-be boundary, a lone CR, dot lines, and a whole card.
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
  "\u00a0",
  "\u007f\f",
  "▲",
  "\t\n",
  "  \n",
  "é\n-",
  "Hugging\u00a0Face ▲ 39",
  // 75 and 76 characters encoded ("é" is "=C3=A9").
  `${"a".repeat(69)}é`,
  `${"a".repeat(70)}é`,
  "é".repeat(40),
  `${"ü".repeat(11)}-${"—".repeat(9)}`,
  "naïve größe — Ørsted, 李华. ".repeat(4),
  MIXED,
  CARD,
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

/** The reference: libqp's encoder and wrapper on the chunk alone, then a soft break to end the line. */
function reference(bytes: Buffer): string {
  if (bytes.length === 0) return "";
  const lines = encode(bytes)
    .replace(/\r?\n/g, "\r\n")
    .replace(/\r(?!\n)/g, "=0D");
  const wrapped = wrap(lines, 75);
  return wrapped.endsWith("\r\n") ? wrapped : `${wrapped}=\r\n`;
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
      // Longer than 76 characters, ending in a blank (it would be stripped in transit, RFC 2045 §6.7 (3)),
      // or starting like a boundary delimiter (libqp escapes a "-" that starts a line).
      const badLines = text.split("\r\n").filter((line) => line.length > 76 || /[ \t]$|^-/.test(line));
      expect(badLines).toEqual([]);
      // "=" is always encoded, so a boundary containing "=_" can never occur in a part.
      expect(text).not.toContain("=_");
    }
  });

  it("writes exactly what libqp writes for each chunk", () => {
    const next = seededRandom(11);
    let plain = 0;
    let nonAscii = 0;
    let cutAtEscape = 0;
    for (let round = 0; round < 5000; round++) {
      for (const chunk of randomChunks(next)) {
        const text = chunk.bytes.toString("latin1");
        if (/^[\x20-\x3c\x3e-\x7e\n]*$/.test(text)) plain++;
        if (/[\x80-\xff]/.test(text)) nonAscii++;
        const encoded = quotedPrintableChunk(chunk).toString("latin1");
        if (/=[0-9A-F]{2}=\r\n./.test(encoded)) cutAtEscape++;
        expect(encoded, JSON.stringify(chunk.bytes.toString())).toBe(reference(chunk.bytes));
      }
    }
    // Every kind was met often: chunks that need no encoding, chunks with multi-byte characters, and
    // lines cut right after an escape.
    expect(plain).toBeGreaterThan(1000);
    expect(nonAscii).toBeGreaterThan(10_000);
    expect(cutAtEscape).toBeGreaterThan(5000);
  });

  it("cuts lines where libqp does, for every length of a long mixed line", () => {
    // Prepare: every byte prefix, so each line ends at every point of an escape and a UTF-8 sequence,
    // and the rest is 75 and 76 characters long at every alignment.
    const bytes = Buffer.from(MIXED);
    expect(bytes.length).toBeGreaterThan(400);
    for (let length = 1; length <= bytes.length; length++) {
      const prefix = bytes.subarray(0, length);

      // Act
      const encoded = quotedPrintableChunk({ bytes: prefix, parts: undefined, quotedPrintable: undefined });

      // Assess
      expect(encoded.toString("latin1"), `${length} bytes`).toBe(reference(prefix));
    }
  });

  it("writes a card as libqp does, and it decodes back", () => {
    expect(Buffer.byteLength(CARD)).toBeGreaterThan(3000);
    const card = chunkOf(`${CARD}\n${CARD}`);
    const encoded = quotedPrintableChunk(card);
    expect(encoded.toString("latin1")).toBe(reference(card.bytes));
    expect(decode(encoded).toString()).toBe(`${CARD}\r\n${CARD}`);
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
