import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FolderStore } from "../../shared/adapters/fs-store.js";
import {
  addToHistory,
  alreadySentIds,
  foldEarlierSends,
  HISTORY_LIMIT,
  historyShard,
  readHistories,
} from "../../shared/delivery/history.js";
import { deliveryKeys } from "../../shared/delivery/keys.js";

describe("paper history", () => {
  it("folds earlier sends once, from the sent markers and that day's digests", async () => {
    const dir = await mkdtemp(join(tmpdir(), "paperboy-history-"));
    try {
      // Prepare: ada was sent on the 17th; grace's digest existed but was never sent.
      const store = new FolderStore(dir);
      await store.put(deliveryKeys.sent("2026-08-17", "ada"), "{}");
      const digests = new Map([
        ["ada", [{ id: "2608.00001", version: 2 }]],
        ["grace", [{ id: "2608.00002" }]],
      ]);
      let reads = 0;
      const papersOf = async () => {
        reads++;
        return digests;
      };

      // Act
      const first = await foldEarlierSends(store, ["2026-08-17", "2026-08-16"], papersOf);
      const again = await foldEarlierSends(store, ["2026-08-17", "2026-08-16"], papersOf);

      // Assess
      expect(first).toEqual({ folded: 1, dates: ["2026-08-17"] });
      expect(again).toEqual({ folded: 0, dates: [] });
      expect(reads).toBe(1);
      const histories = await readHistories(store, ["ada", "grace"]);
      expect(histories.get("ada")?.papers).toEqual({ "2608.00001": { version: 2, date: "2026-08-17" } });
      expect(histories.get("grace")?.papers).toEqual({});
      expect(await store.get(deliveryKeys.historyShard(historyShard("ada")))).toBeDefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("treats an unreadable shard as empty", async () => {
    const dir = await mkdtemp(join(tmpdir(), "paperboy-history-"));
    try {
      const store = new FolderStore(dir);
      await store.put(deliveryKeys.historyShard(historyShard("ada")), "{not json");
      expect((await readHistories(store, ["ada"])).get("ada")?.papers).toEqual({});
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ["sent earlier: left out", { a: { date: "2026-08-17", version: 1 } }, new Map([["a", 1]]), false, ["a"]],
    [
      "sent on the same date: kept (re-run rebuilds the same digest)",
      { a: { date: "2026-08-18" } },
      new Map(),
      false,
      [],
    ],
    [
      "newer version, resend not asked: left out",
      { a: { date: "2026-08-17", version: 1 } },
      new Map([["a", 2]]),
      false,
      ["a"],
    ],
    [
      "newer version, resend asked: kept",
      { a: { date: "2026-08-17", version: 1 } },
      new Map([["a", 2]]),
      true,
      [],
    ],
    [
      "same version, resend asked: left out",
      { a: { date: "2026-08-17", version: 2 } },
      new Map([["a", 2]]),
      true,
      ["a"],
    ],
  ])("%s", (_name, papers, current, resend, expected) => {
    const ids = alreadySentIds({ papers, dates: [] }, "2026-08-18", current, resend);
    expect([...ids]).toEqual(expected);
  });

  it("keeps at most HISTORY_LIMIT papers, newest first", () => {
    const many = Array.from({ length: HISTORY_LIMIT }, (_, i) => ({ id: `old-${i}` }));
    const old = addToHistory({ papers: {}, dates: [] }, "2026-01-01", many);
    const next = addToHistory(old, "2026-08-18", [{ id: "new" }]);
    expect(Object.keys(next.papers)).toHaveLength(HISTORY_LIMIT);
    expect(next.papers.new).toEqual({ date: "2026-08-18" });
  });
});
