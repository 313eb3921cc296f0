/**
 * A local, read-only preview of rendered digests: lists `<root>/outbox/**.html` and `<root>/store/archive/**`
 * newest date first and serves those files from 127.0.0.1. Nothing outside those two folders is reachable.
 */
import { createReadStream } from "node:fs";
import { readdir, realpath, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, relative, resolve, sep } from "node:path";
import { renderPreviewIndex } from "./preview-index.js";

export interface PreviewServer {
  url: string;
  close(): Promise<void>;
}

export interface Listed {
  /** Path relative to the root, "/"-separated: the URL path under /files/. */
  path: string;
  /** The raw message beside a digest's HTML preview, when the outbox kept one. */
  eml?: string;
  kind: "digest" | "archive";
  date: string;
}

const FOLDERS = [
  { folder: "outbox", kind: "digest" },
  { folder: join("store", "archive"), kind: "archive" },
] as const;

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".eml": "text/plain; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".svg": "image/svg+xml",
};

// Digests hold feed text: even escaped, a served page may not run scripts or reach anything but images.
const SECURITY_HEADERS = {
  "Content-Security-Policy":
    "default-src 'none'; img-src http: https: data:; style-src 'unsafe-inline'; base-uri 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
} as const;

/** Starts the preview on 127.0.0.1 (port 0 = any free port). */
export async function startPreviewServer(root: string, port = 0): Promise<PreviewServer> {
  const base = resolve(root);
  const server = createServer((request, response) => {
    handle(base, request, response).catch(() => {
      if (!response.headersSent) send(response, 500, "text/plain; charset=utf-8", "Internal error\n");
      else response.destroy();
    });
  });
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => done());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () =>
      new Promise<void>((done, fail) => {
        server.closeAllConnections();
        server.close((error) => (error ? fail(error) : done()));
      }),
  };
}

async function handle(base: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.setHeader("Allow", "GET, HEAD");
    return send(response, 405, "text/plain; charset=utf-8", "Method not allowed\n");
  }
  const { pathname } = new URL(request.url ?? "/", "http://preview.invalid");
  if (pathname === "/") {
    return send(
      response,
      200,
      TYPES[".html"] ?? "",
      renderPreviewIndex(await listDigests(base)),
      request.method === "HEAD",
    );
  }
  const file = pathname.startsWith("/files/")
    ? await servable(base, pathname.slice("/files/".length))
    : undefined;
  if (!file) return send(response, 404, "text/plain; charset=utf-8", "Not found\n");
  response.writeHead(200, {
    "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
    ...SECURITY_HEADERS,
  });
  if (request.method === "HEAD") {
    response.end();
    return;
  }
  createReadStream(file)
    .on("error", () => response.destroy())
    .pipe(response);
}

/** The absolute path of a file under one of the preview folders, or undefined (traversal, links out, other types). */
async function servable(base: string, encoded: string): Promise<string | undefined> {
  let relativePath: string;
  try {
    relativePath = decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
  if (relativePath.includes("\0") || !TYPES[extname(relativePath).toLowerCase()]) return undefined;
  const candidate = resolve(base, relativePath);
  const allowed = FOLDERS.map(({ folder }) => join(base, folder));
  if (!allowed.some((folder) => candidate.startsWith(folder + sep))) return undefined;
  try {
    // A symbolic link inside the folder may still point outside it: check where it really is.
    const [real, realFolders] = await Promise.all([
      realpath(candidate),
      Promise.all(allowed.map((folder) => realpath(folder).catch(() => folder))),
    ]);
    if (!realFolders.some((folder) => real.startsWith(folder + sep))) return undefined;
    return (await stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

/** Every previewable HTML file, newest date first (then by path). */
export async function listDigests(root: string): Promise<Listed[]> {
  const base = resolve(root);
  const found: Listed[] = [];
  for (const { folder, kind } of FOLDERS) {
    for (const file of await walk(join(base, folder))) {
      if (extname(file) !== ".html") continue;
      const path = relative(base, file).split(sep).join("/");
      const date = /\d{4}-\d{2}-\d{2}/.exec(path)?.[0] ?? (await stat(file)).mtime.toISOString().slice(0, 10);
      const eml = file.replace(/\.html$/, ".eml");
      const hasEml = kind === "digest" && (await stat(eml).catch(() => undefined))?.isFile();
      found.push({ path, kind, date, ...(hasEml ? { eml: path.replace(/\.html$/, ".eml") } : {}) });
    }
  }
  return found.sort(
    (a, b) => b.date.localeCompare(a.date) || a.kind.localeCompare(b.kind) || a.path.localeCompare(b.path),
  );
}

async function walk(dir: string, depth = 0): Promise<string[]> {
  if (depth > 6) return [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path, depth + 1)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

function send(response: ServerResponse, status: number, type: string, body: string, headOnly = false): void {
  response.writeHead(status, { "Content-Type": type, ...SECURITY_HEADERS });
  response.end(headOnly ? undefined : body);
}
