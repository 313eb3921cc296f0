import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FolderStore } from "../../shared/adapters/fs-store.js";

describe("FolderStore", () => {
  let root: string;
  let store: FolderStore;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "paperboy-store-"));
    store = new FolderStore(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it("round-trips objects and lists keys under a prefix, sorted", async () => {
    await store.put("raw/2026-08-18/b.json", "{}");
    await store.put("raw/2026-08-18/a.json", Buffer.from("[]"));
    await store.put("raw/2026-08-19/c.json", "{}");
    expect((await store.get("raw/2026-08-18/a.json"))?.toString()).toBe("[]");
    expect(await store.get("raw/nope.json")).toBeUndefined();
    expect(await store.list("raw/2026-08-18/")).toEqual(["raw/2026-08-18/a.json", "raw/2026-08-18/b.json"]);
    expect(await store.list("raw/")).toHaveLength(3);
  });

  it("writes a marker once, like S3's If-None-Match: *", async () => {
    expect(await store.putIfAbsent("state/sent/x.json", "first")).toBe(true);
    expect(await store.putIfAbsent("state/sent/x.json", "second")).toBe(false);
    expect((await store.get("state/sent/x.json"))?.toString()).toBe("first");
  });

  it("lets exactly one of many concurrent writers win", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.putIfAbsent("state/sent/race.json", `writer ${i}`)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("refuses keys that escape the root", async () => {
    await expect(store.put("../outside.txt", "x")).rejects.toThrow(/escapes the store root/);
  });
});
