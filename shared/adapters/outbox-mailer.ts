/** Mailer that delivers into a folder: `<dir>/<id>.eml` plus `<dir>/<id>.html` as a browser preview. */
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { safeSegment } from "../domain/keys.js";
import type { Mailer, OutgoingMessage, SendResult } from "../ports/index.js";

export class OutboxMailer implements Mailer {
  constructor(private readonly dir: string) {}

  /** Writes the message (and its HTML preview); the .eml path is the message id. */
  async send(message: OutgoingMessage): Promise<SendResult> {
    // The id may come from an e-mail address or a date: "/" makes subfolders, nothing leaves the folder.
    const segments = message.id
      .split("/")
      .map((segment) => (/^\.*$/.test(segment) ? "_" : safeSegment(segment)));
    const name = join(this.dir, ...segments);
    await mkdir(dirname(name), { recursive: true });
    const eml = `${name}.eml`;
    await writeAtomically(eml, message.raw);
    const paths = [eml];
    if (message.html !== undefined) {
      const html = `${name}.html`;
      await writeAtomically(html, message.html);
      paths.push(html);
    }
    return { messageId: eml, paths };
  }
}

let written = 0;

/** Write to a temporary sibling, then rename: a reader never sees half a message. */
async function writeAtomically(path: string, body: string | Buffer): Promise<void> {
  written += 1;
  const temporary = `${path}.${process.pid}.${written}.tmp`;
  await writeFile(temporary, body);
  await rename(temporary, path);
}
