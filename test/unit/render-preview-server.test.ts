import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPreviewServer } from "../../shared/render/preview-server.js";

/** A raw GET (fetch would normalize "../" away before the server sees it). */
function get(
  url: string,
  path: string,
  method = "GET",
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url.replace(/\/$/, "")}${path}`, { method }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

describe("startPreviewServer", () => {
  let root = "";
  let server: Awaited<ReturnType<typeof startPreviewServer>>;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "preview-"));
    await mkdir(join(root, "outbox", "2026-08-17"), { recursive: true });
    await mkdir(join(root, "outbox", "2026-08-18"), { recursive: true });
    await mkdir(join(root, "store", "archive", "2026-08-18"), { recursive: true });
    await mkdir(join(root, "store", "results"), { recursive: true });
    await writeFile(join(root, "outbox", "2026-08-17", "ana.html"), "<p>old</p>");
    await writeFile(join(root, "outbox", "2026-08-18", "ana.html"), "<p>new</p>");
    await writeFile(join(root, "outbox", "2026-08-18", "ana.eml"), "Subject: x");
    await writeFile(join(root, "store", "archive", "2026-08-18", "index.html"), "<p>archive</p>");
    await writeFile(join(root, "store", "results", "secret.html"), "secret");
    await writeFile(join(root, "secret.html"), "secret");
    await symlink(join(root, "secret.html"), join(root, "outbox", "2026-08-18", "link.html"));
    server = await startPreviewServer(root);
  });

  afterAll(async () => {
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  it("listens on 127.0.0.1 and lists digests and archives newest date first (no symbolic links)", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const { status, type, body } = await get(server.url, "/");
    expect(status).toBe(200);
    expect(type).toBe("text/html; charset=utf-8");
    const links = [...body.matchAll(/href="(\/files\/[^"]+)"/g)].map((m) => m[1]);
    expect(links).toEqual([
      "/files/store/archive/2026-08-18/index.html",
      "/files/outbox/2026-08-18/ana.html",
      "/files/outbox/2026-08-18/ana.eml",
      "/files/outbox/2026-08-17/ana.html",
    ]);
    expect(body.indexOf("Tuesday, 18 August 2026")).toBeLessThan(body.indexOf("Monday, 17 August 2026"));
  });

  it("serves the listed files read-only", async () => {
    expect(await get(server.url, "/files/outbox/2026-08-18/ana.html")).toMatchObject({
      status: 200,
      body: "<p>new</p>",
    });
    expect(await get(server.url, "/files/outbox/2026-08-18/ana.eml")).toMatchObject({
      status: 200,
      type: "text/plain; charset=utf-8",
    });
    expect(await get(server.url, "/files/store/archive/2026-08-18/index.html")).toMatchObject({
      status: 200,
    });
    expect((await get(server.url, "/files/outbox/2026-08-18/ana.html", "POST")).status).toBe(405);
  });

  it.each([
    "/files/../secret.html",
    "/files/outbox/../secret.html",
    "/files/outbox/%2e%2e/secret.html",
    "/files/outbox%2f..%2f..%2fsecret.html",
    "/files/store/results/secret.html",
    "/files/outbox/2026-08-18/link.html",
    "/files/outbox/2026-08-18/%00.html",
    "/files/%E0%A4%A.html",
    "/secret.html",
  ])("refuses %s", async (path) => {
    const { status, body } = await get(server.url, path);
    expect(status).toBe(404);
    expect(body).not.toContain("secret");
  });
});
