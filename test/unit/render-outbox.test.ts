import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { afterEach, describe, expect, it } from "vitest";
import { OutboxMailer } from "../../shared/adapters/outbox-mailer.js";
import { configSchema } from "../../shared/config/schema.js";
import { createComposer, outgoingMessage } from "../../shared/pipeline/compose.js";
import { hfDayPapers, sampleDigest, sampleTopics } from "../support/browser.js";

describe("OutboxMailer", () => {
  let dir = "";
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("writes <id>.eml and the <id>.html preview and returns their paths", async () => {
    // Prepare
    dir = await mkdtemp(join(tmpdir(), "outbox-"));
    const mailer = new OutboxMailer(join(dir, "outbox"));

    // Act
    const result = await mailer.send({
      from: "digest@paperboy.example",
      to: "ana@example.org",
      id: "2026-08-18/ana@example.org",
      raw: Buffer.from("Subject: hi\r\n\r\nbody"),
      html: "<p>hi</p>",
    });

    // Assess
    const base = join(dir, "outbox", "2026-08-18", "ana_example.org");
    expect(result).toEqual({ messageId: `${base}.eml`, paths: [`${base}.eml`, `${base}.html`] });
    expect(await readFile(`${base}.eml`, "utf8")).toBe("Subject: hi\r\n\r\nbody");
    expect(await readFile(`${base}.html`, "utf8")).toBe("<p>hi</p>");
    expect(await readdir(join(dir, "outbox", "2026-08-18"))).toEqual([
      "ana_example.org.eml",
      "ana_example.org.html",
    ]);
  });

  it("writes a composed message from its pieces, without joining them", async () => {
    // Prepare: a real digest, composed as the mail stage composes it.
    dir = await mkdtemp(join(tmpdir(), "outbox-"));
    const mailer = new OutboxMailer(join(dir, "outbox"));
    const composer = createComposer({
      config: configSchema.parse({
        sources: [{ type: "huggingface" }],
        topics: sampleTopics,
        subscribers: [{ email: "ana@example.org", topics: ["agents"] }],
        delivery: { from: "Paperboy <digest@paperboy.example>" },
      }),
      date: "2026-08-18",
      notes: [],
      emptyNote: "",
      unsubscribe: { baseUrl: "https://paperboy.example/unsubscribe", key: Buffer.alloc(32, 1) },
    });
    const composed = await composer.compose(sampleDigest(hfDayPapers(), ["agents", "vision"], 6));
    const joined = Buffer.from(composed.raw);
    let readRaw = 0;
    const message = outgoingMessage(composed, { from: "f@x.org", to: "ana@example.org", id: "ana" });
    Object.defineProperty(message, "raw", {
      get: () => {
        readRaw++;
        return composed.raw;
      },
    });

    // Act
    const { paths = [] } = await mailer.send(message);

    // Assess: the same bytes as the joined message, many pieces, and `raw` never read.
    expect(message.rawPieces?.length).toBeGreaterThan(20);
    expect((await readFile(paths[0] ?? "")).equals(joined)).toBe(true);
    expect(composed.size).toBe(joined.length);
    expect(readRaw).toBe(0);
    const mail = await simpleParser(await readFile(paths[0] ?? ""));
    expect(mail.text).toContain("Unsubscribe: https://paperboy.example/unsubscribe?s=");
  });

  it("writes messages from pieces exactly, small after large and past the gathering size", async () => {
    dir = await mkdtemp(join(tmpdir(), "outbox-"));
    const mailer = new OutboxMailer(join(dir, "outbox"));
    const pieces = (sizes: number[], fill: number) => sizes.map((size, i) => Buffer.alloc(size, fill + i));
    const messages = [
      pieces([40_000, 9_000, 1], 0x41),
      pieces([5, 3], 0x61),
      pieces([700_000, 600_000], 0x30),
    ];
    for (const [i, rawPieces] of messages.entries()) {
      const { paths = [] } = await mailer.send({
        from: "f@x.org",
        to: "t@x.org",
        id: `m${i}`,
        rawPieces,
        get raw(): Buffer {
          throw new Error("the outbox read raw");
        },
      });
      expect((await readFile(paths[0] ?? "")).equals(Buffer.concat(rawPieces))).toBe(true);
    }
  });

  it("keeps every file inside its folder whatever the id says", async () => {
    dir = await mkdtemp(join(tmpdir(), "outbox-"));
    const outbox = join(dir, "outbox");
    const mailer = new OutboxMailer(outbox);
    for (const id of ["../../escape", "/etc/passwd", "a/../../b", "..", ".", "...", "x\0y"]) {
      const { paths = [] } = await mailer.send({ from: "f@x.org", to: "t@x.org", id, raw: Buffer.from("x") });
      for (const path of paths) expect(path.startsWith(`${outbox}/`)).toBe(true);
    }
    expect(await readdir(dir)).toEqual(["outbox"]);
  });

  it("makes its folder again when it vanished between two messages", async () => {
    // Prepare
    dir = await mkdtemp(join(tmpdir(), "outbox-"));
    const mailer = new OutboxMailer(join(dir, "outbox"));
    const message = (to: string) => ({
      from: "digest@paperboy.example",
      to,
      id: `2026-08-18/${to}`,
      raw: Buffer.from(`To: ${to}\r\n\r\nbody`),
    });
    await mailer.send(message("ana@example.org"));

    // Act
    await rm(join(dir, "outbox"), { recursive: true, force: true });
    await mailer.send(message("bo@example.org"));

    // Assess
    expect(await readdir(join(dir, "outbox", "2026-08-18"))).toEqual(["bo_example.org.eml"]);
  });
});
