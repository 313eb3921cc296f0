/** Where the unsubscribe signing key comes from: a local file (created once) or a secret string. Never the config. */
import { randomBytes } from "node:crypto";
import { chmod, mkdir, open, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { MIN_KEY_BYTES } from "./token.js";

/** The key file `<out>/secret/unsubscribe.key` for local runs. */
export function localKeyPath(outDir: string): string {
  return `${outDir.replace(/\/+$/, "")}/secret/unsubscribe.key`;
}

/** Reads the local key file, creating it (64 random bytes, hex, mode 0600) on first use; concurrent first runs agree. */
export async function loadOrCreateLocalKey(path: string): Promise<Buffer> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  try {
    const handle = await open(path, "wx", 0o600);
    try {
      await handle.writeFile(`${randomBytes(64).toString("hex")}\n`);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  await chmod(path, 0o600);
  return keyFromSecretString((await readFile(path, "utf8")).trim(), path);
}

/** A key from its stored text (hex or base64 of ≥ 32 bytes, or a long passphrase), e.g. a Secrets Manager value. */
export function keyFromSecretString(value: string, where: string): Buffer {
  const text = value.trim();
  const key =
    /^[0-9a-f]+$/i.test(text) && text.length % 2 === 0 ? Buffer.from(text, "hex") : Buffer.from(text, "utf8");
  if (key.length < MIN_KEY_BYTES) {
    throw new RangeError(
      `${where}: unsubscribe signing key is too short (${key.length} bytes, need ${MIN_KEY_BYTES})`,
    );
  }
  return key;
}
