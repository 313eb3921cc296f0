/** Mailer that delivers into a folder: `<dir>/<id>.eml` plus `<dir>/<id>.html` as a browser preview. */
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { safeSegment } from "../domain/keys.js";
import type { Mailer, OutgoingMessage, SendResult } from "../ports/index.js";

export class OutboxMailer implements Mailer {
  constructor(private readonly dir: string) {}

  /** Writes the message (and its HTML preview); the .eml path is the message id. */
  async send(message: OutgoingMessage): Promise<SendResult> {
    await mkdir(this.dir, { recursive: true });
    // The id may come from an e-mail address or a date: never let it leave the folder.
    const name = safeSegment(message.id);
    const eml = join(this.dir, `${name}.eml`);
    await writeAtomically(eml, message.raw);
    const paths = [eml];
    if (message.html !== undefined) {
      const html = join(this.dir, `${name}.html`);
      await writeAtomically(html, message.html);
      paths.push(html);
    }
    return { messageId: eml, paths };
  }
}

/** Write to a temporary sibling, then rename: a reader never sees half a message. */
async function writeAtomically(path: string, body: string | Buffer): Promise<void> {
  const temporary = `${path}.${process.pid}.${Date.now().toString(36)}.tmp`;
  await writeFile(temporary, body);
  await rename(temporary, path);
}
