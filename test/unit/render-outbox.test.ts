import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { OutboxMailer } from "../../shared/adapters/outbox-mailer.js";

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
