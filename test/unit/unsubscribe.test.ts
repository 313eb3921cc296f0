import { createHmac, randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FolderStore } from "../../shared/adapters/fs-store.js";
import { deliveryKeys } from "../../shared/delivery/keys.js";
import { loadSuppressed } from "../../shared/delivery/suppression.js";
import { subscriberId } from "../../shared/domain/subscriber.js";
import {
  applySesFeedback,
  handleUnsubscribe,
  keyFromSecretString,
  loadOrCreateLocalKey,
  localKeyPath,
  parseSesNotification,
  recordOptOut,
  signSubscriber,
  subscriberSigner,
  unsubscribeLinker,
  unsubscribeUrl,
  verifyUnsubscribe,
} from "../../shared/unsubscribe/index.js";

const KEY = Buffer.alloc(32, 9);
const ID = subscriberId("ada@example.org");

describe("unsubscribe links", () => {
  it("signs with HMAC-SHA256 exactly as createHmac does, for keys shorter and longer than a block", () => {
    for (const length of [32, 63, 64, 65, 128, 200]) {
      for (let round = 0; round < 20; round++) {
        const key = randomBytes(length);
        const id = subscriberId(`reader${round}+${length}@example.org`);
        const reference = createHmac("sha256", key)
          .update(`paperboy-unsubscribe-v1\n${id}`)
          .digest()
          .subarray(0, 16)
          .toString("base64url");
        expect(signSubscriber(key, id), `key of ${length} bytes`).toBe(reference);
      }
    }
  });

  it("signs every id right with one signer, ids long and short in any order (its buffers are reused)", () => {
    const key = randomBytes(48);
    const sign = subscriberSigner(key);
    // Lengths up to 700 bytes: past the signer's first buffer, so it grows in the middle of the run.
    const lengths = [10, 300, 1, 80, 700, 5, 180, 699, 2, 450];
    for (const [n, length] of lengths.entries()) {
      const id = `${"é".repeat(n % 3)}${"x".repeat(length)}`;
      const reference = createHmac("sha256", key)
        .update(`paperboy-unsubscribe-v1\n${id}`)
        .digest()
        .subarray(0, 16)
        .toString("base64url");
      expect(sign(id), `id of ${length} characters`).toBe(reference);
    }
  });

  it("verifies its own signature and nothing else", () => {
    const sig = signSubscriber(KEY, ID);
    expect(verifyUnsubscribe(KEY, ID, sig)).toBe(ID);
    expect(verifyUnsubscribe(Buffer.alloc(32, 8), ID, sig)).toBeUndefined();
    expect(verifyUnsubscribe(KEY, subscriberId("grace@example.org"), sig)).toBeUndefined();
    expect(verifyUnsubscribe(KEY, ID, `${sig[0] === "A" ? "B" : "A"}${sig.slice(1)}`)).toBeUndefined();
    // The spare bits of the last character must not make a second valid spelling.
    const last = sig.at(-1) === "A" ? "B" : "A";
    expect(verifyUnsubscribe(KEY, ID, `${sig.slice(0, -1)}${last}`)).toBeUndefined();
  });

  it.each([
    ["no id", undefined, "x"],
    ["an id with a slash", "../../etc/passwd", "x"],
    ["a signature that is not base64url", ID, "a+b/c="],
    ["an array", [ID], "x"],
    ["an empty signature", ID, ""],
  ])("rejects %s", (_name, id, sig) => {
    expect(verifyUnsubscribe(KEY, id, sig)).toBeUndefined();
  });

  it("builds an https URL with the id and signature", () => {
    const url = new URL(unsubscribeUrl("https://abc.lambda-url.us-east-1.on.aws/", KEY, ID));
    expect(url.protocol).toBe("https:");
    expect(url.searchParams.get("s")).toBe(ID);
    expect(verifyUnsubscribe(KEY, url.searchParams.get("s"), url.searchParams.get("sig"))).toBe(ID);
  });

  it.each([
    "https://abc.lambda-url.us-east-1.on.aws/",
    "https://example.org/u",
    "https://example.org/u?list=daily",
    "https://example.org/u?s=old#top",
    "http://127.0.0.1:8080/",
  ])("links from %s exactly as URLSearchParams writes them", (base) => {
    const link = unsubscribeLinker(base, KEY);
    for (const id of [ID, "Ana Smith+1@x", "a&b=c"]) {
      const expected = new URL(base);
      expected.searchParams.set("s", id);
      expected.searchParams.set("sig", signSubscriber(KEY, id));
      expect(link(id)).toBe(expected.toString());
      expect(unsubscribeUrl(base, KEY, id)).toBe(expected.toString());
    }
  });

  it("refuses a plain-http base URL and a short key", () => {
    expect(() => unsubscribeUrl("http://example.org/", KEY, ID)).toThrow(/https/);
    expect(() => signSubscriber(Buffer.alloc(8), ID)).toThrow(/at least 32/);
    expect(() => unsubscribeLinker("https://example.org/", Buffer.alloc(8))).toThrow(/at least 32/);
    expect(() => keyFromSecretString("short", "secret")).toThrow(/too short/);
  });
});

describe("opt-out and SES feedback", () => {
  let dir: string;
  let store: FolderStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "paperboy-unsub-"));
    store = new FolderStore(dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("records a verified opt-out and ignores a forged one", async () => {
    const forged = await recordOptOut(store, KEY, { s: ID, sig: "AAAAAAAAAAAAAAAAAAAAAA" }, new Date());
    expect(forged).toEqual({ ok: false });
    expect(await loadSuppressed(store)).toEqual(new Set());
    const real = await recordOptOut(store, KEY, { s: ID, sig: signSubscriber(KEY, ID) }, new Date());
    expect(real).toEqual({ ok: true, subscriberId: ID });
    expect(await loadSuppressed(store)).toEqual(new Set([ID]));
  });

  const mail = {
    messageId: "ses-1",
    destination: ["Ada <ada@example.org>"],
    headers: [{ name: "X-Paperboy-Date", value: "2026-08-18" }],
  };
  it.each([
    [
      "a permanent bounce",
      {
        eventType: "Bounce",
        mail,
        bounce: { bounceType: "Permanent", bouncedRecipients: [{ emailAddress: "ada@example.org" }] },
      },
      { suppressed: 1, accepted: 0, ignored: 0 },
    ],
    [
      "a transient bounce",
      {
        eventType: "Bounce",
        mail,
        bounce: { bounceType: "Transient", bouncedRecipients: [{ emailAddress: "ada@example.org" }] },
      },
      { suppressed: 0, accepted: 0, ignored: 1 },
    ],
    [
      "a complaint (identity notification)",
      {
        notificationType: "Complaint",
        mail,
        complaint: { complainedRecipients: [{ emailAddress: "ada@example.org" }] },
      },
      { suppressed: 1, accepted: 0, ignored: 0 },
    ],
    ["a send event", { eventType: "Send", mail, send: {} }, { suppressed: 0, accepted: 1, ignored: 0 }],
    ["a delivery event", { eventType: "Delivery", mail }, { suppressed: 0, accepted: 0, ignored: 1 }],
    ["not SES at all", { hello: "world" }, { suppressed: 0, accepted: 0, ignored: 1 }],
  ])("applies %s", async (_name, event, expected) => {
    const result = await applySesFeedback(store, parseSesNotification(JSON.stringify(event)), new Date());
    expect(result).toEqual(expected);
    if (expected.accepted) expect(await store.get(deliveryKeys.accepted("2026-08-18", ID))).toBeDefined();
    if (expected.suppressed) expect(await loadSuppressed(store)).toEqual(new Set([ID]));
  });

  it("ignores a message that is not JSON", () => {
    expect(parseSesNotification("{not json")).toBeUndefined();
  });
});

describe("unsubscribe endpoint", () => {
  let dir: string;
  let store: FolderStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "paperboy-endpoint-"));
    store = new FolderStore(dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const deps = () => ({ store, key: KEY, now: () => new Date("2026-08-18T08:00:00Z") });
  const query = { s: ID, sig: signSubscriber(KEY, ID) };

  it("GET shows a confirmation button and records nothing (link scanners fetch URLs)", async () => {
    const response = await handleUnsubscribe({ method: "GET", query }, deps());
    expect(response.status).toBe(200);
    expect(response.body).toMatch(/<form method="post">/);
    expect(await loadSuppressed(store)).toEqual(new Set());
  });

  it("POST (RFC 8058 one-click) records the opt-out", async () => {
    const response = await handleUnsubscribe({ method: "POST", query }, deps());
    expect(response.status).toBe(200);
    expect(response.subscriberId).toBe(ID);
    expect(await loadSuppressed(store)).toEqual(new Set([ID]));
  });

  it.each([
    ["GET", { s: ID, sig: "forged" }, 400],
    ["POST", { s: ID }, 400],
    ["POST", { s: "<script>", sig: "x" }, 400],
    ["DELETE", query, 405],
  ])("%s with %j answers %i and records nothing", async (method, q, status) => {
    const response = await handleUnsubscribe({ method, query: q }, deps());
    expect(response.status).toBe(status);
    expect(response.body).not.toMatch(/script/);
    expect(response.headers["content-security-policy"]).toMatch(/default-src 'none'/);
    expect(await loadSuppressed(store)).toEqual(new Set());
  });
});

describe("local signing key", () => {
  it("is created once (mode 0600) and read back the same", async () => {
    const dir = await mkdtemp(join(tmpdir(), "paperboy-key-"));
    try {
      const path = localKeyPath(dir);
      const [a, b] = await Promise.all([loadOrCreateLocalKey(path), loadOrCreateLocalKey(path)]);
      const c = await loadOrCreateLocalKey(path);
      expect(a.length).toBe(64);
      expect(a.equals(c)).toBe(true);
      expect(b.equals(c)).toBe(true);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect((await readFile(path, "utf8")).trim()).toMatch(/^[0-9a-f]{128}$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
