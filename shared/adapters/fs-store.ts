/** ObjectStore on a local folder, with the same key layout as S3 and the same write-once semantics. */
import { mkdir, open, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { ObjectStore } from "../ports/index.js";

export class FolderStore implements ObjectStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  /** Atomic replace: write a temp file, then rename, so readers never see half an object. */
  async put(key: string, body: string | Buffer): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, body);
    await rename(tmp, path);
  }

  /** Write-once via O_EXCL ("wx"): the local twin of S3's If-None-Match: *. */
  async putIfAbsent(key: string, body: string | Buffer): Promise<boolean> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(path, "wx");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw error;
    }
    try {
      await handle.writeFile(body);
    } finally {
      await handle.close();
    }
    return true;
  }

  async list(prefix: string): Promise<string[]> {
    const base = this.pathOf(prefix.endsWith("/") ? prefix.slice(0, -1) || "." : dirname(prefix));
    const out: string[] = [];
    await walk(base, async (file) => {
      const key = relative(this.root, file).split(sep).join("/");
      if (key.startsWith(prefix) && !key.endsWith(".tmp")) out.push(key);
    });
    return out.sort();
  }

  /** The file path of a key; refuses keys that would escape the root. */
  pathOf(key: string): string {
    const path = resolve(join(this.root, key));
    if (path !== this.root && !path.startsWith(this.root + sep)) {
      throw new Error(`storage key escapes the store root: ${JSON.stringify(key)}`);
    }
    return path;
  }
}

async function walk(dir: string, visit: (file: string) => Promise<void>): Promise<void> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await walk(full, visit);
    else if (entry.isFile()) await visit(full);
  }
}
