import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FolderStore } from "../../shared/adapters/fs-store.js";
import { deliveryKeys } from "../../shared/delivery/keys.js";
import { createRateLimiter } from "../../shared/delivery/rate-limiter.js";
import {
  type DeliverDeps,
  type DeliverRequest,
  deliverOnce,
  loadDeliveryState,
} from "../../shared/delivery/send-protocol.js";
import type { Mailer, ObjectStore, OutgoingMessage } from "../../shared/ports/index.js";

const DATE = "2026-08-18";
const ID = "ada-example.org-0123456789";
const GRACE = 15 * 60_000;

/** A mailer that answers from a script: "ok", or an error to throw; records what it accepted. */
function scriptedMailer(script: (string | Error)[]) {
  const accepted: OutgoingMessage[] = [];
  let calls = 0;
  const mailer: Mailer = {
    async send(message) {
      const step = script[calls++] ?? "ok";
      if (step instanceof Error) {
        if ((step as Error & { accepted?: boolean }).accepted) accepted.push(message);
        throw step;
      }
      accepted.push(message);
      return { messageId: `m-${accepted.length}` };
    },
  };
  return { mailer, accepted, calls: () => calls };
}

function awsError(name: string, status?: number): Error {
  return Object.assign(new Error(name), { name, $metadata: status ? { httpStatusCode: status } : {} });
}

/** A timeout after the transport accepted the message (the hard case). */
function timeoutAfterAccept(): Error {
  return Object.assign(new Error("socket hang up"), { code: "ECONNRESET", accepted: true });
}

describe("deliverOnce", () => {
  let dir: string;
  let store: ObjectStore;
  let now: Date;
  const request: DeliverRequest = {
    date: DATE,
    subscriberId: ID,
    message: { from: "a@paperboy.example", to: "ada@example.org", raw: Buffer.from("x"), id: ID },
    papers: [{ id: "2608.00001", version: 1 }],
  };
  const deps = (mailer: Mailer, over: Partial<DeliverDeps> = {}): DeliverDeps => ({
    store,
    mailer,
    limiter: createRateLimiter(1000),
    now: () => now,
    runToken: `run-${Math.random()}`,
    policy: "resend-after-grace",
    graceMs: GRACE,
    sendRetry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 2 },
    retryDeps: { sleep: async () => {} },
    ...over,
  });
  const deliver = async (mailer: Mailer, over: Partial<DeliverDeps> = {}) =>
    deliverOnce(request, deps(mailer, over), await loadDeliveryState(store, DATE));

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "paperboy-protocol-"));
    store = new FolderStore(dir);
    now = new Date("2026-08-18T07:00:00Z");
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("sends once; a re-run finds the sent marker and sends nothing", async () => {
    // Prepare
    const transport = scriptedMailer([]);

    // Act
    const first = await deliver(transport.mailer);
    const second = await deliver(transport.mailer);

    // Assess
    expect(first).toMatchObject({ status: "sent", attempt: 1 });
    expect(second).toEqual({ status: "already-sent" });
    expect(transport.accepted).toHaveLength(1);
    expect(await store.get(deliveryKeys.sent(DATE, ID))).toBeDefined();
  });

  it.each([
    ["SES throttling", awsError("Throttling", 400)],
    ["a 5xx answer", awsError("ServiceUnavailable", 503)],
    ["a refused connection", Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })],
  ])("retries %s, then sends", async (_name, error) => {
    const transport = scriptedMailer([error, error]);
    expect(await deliver(transport.mailer)).toMatchObject({ status: "sent" });
    expect(transport.calls()).toBe(3);
    expect(transport.accepted).toHaveLength(1);
  });

  it("records a permanent rejection, releases the claim, and a later run tries again", async () => {
    const rejected = scriptedMailer([awsError("MessageRejected", 400)]);
    const first = await deliver(rejected.mailer);
    expect(first).toMatchObject({ status: "failed", kind: "permanent" });
    expect(rejected.calls()).toBe(1);
    expect(await store.get(deliveryKeys.release(DATE, ID, 1))).toBeDefined();

    const second = await deliver(scriptedMailer([]).mailer);
    expect(second).toMatchObject({ status: "sent", attempt: 2 });
  });

  it("never retries a timeout in the same run (the transport may have accepted it)", async () => {
    const transport = scriptedMailer([timeoutAfterAccept()]);
    expect(await deliver(transport.mailer)).toMatchObject({ status: "in-doubt" });
    expect(transport.calls()).toBe(1);
  });

  it("leaves an unconfirmed send alone during the grace period", async () => {
    await deliver(scriptedMailer([timeoutAfterAccept()]).mailer);
    now = new Date(now.getTime() + GRACE - 60_000);
    const transport = scriptedMailer([]);
    expect(await deliver(transport.mailer)).toMatchObject({ status: "in-doubt" });
    expect(transport.calls()).toBe(0);
  });

  it("settles an unconfirmed send from the acceptance record without sending again", async () => {
    await deliver(scriptedMailer([timeoutAfterAccept()]).mailer);
    await store.put(deliveryKeys.accepted(DATE, ID), JSON.stringify({ messageId: "ses-1" }));
    now = new Date(now.getTime() + GRACE + 1);
    const transport = scriptedMailer([]);
    expect(await deliver(transport.mailer)).toEqual({
      status: "already-sent",
      recovered: "acceptance-record",
    });
    expect(transport.calls()).toBe(0);
    expect(await deliver(transport.mailer)).toEqual({ status: "already-sent" });
  });

  it("resends an unconfirmed send after the grace period as a new attempt", async () => {
    const lost = Object.assign(new Error("timed out"), { name: "TimeoutError" });
    await deliver(scriptedMailer([lost]).mailer);
    now = new Date(now.getTime() + GRACE + 1);
    const transport = scriptedMailer([]);
    expect(await deliver(transport.mailer)).toMatchObject({ status: "sent", attempt: 2 });
  });

  it('holds an unconfirmed send for good under the "hold" policy', async () => {
    await deliver(scriptedMailer([timeoutAfterAccept()]).mailer, { policy: "hold" });
    now = new Date(now.getTime() + 24 * 3600_000);
    const transport = scriptedMailer([]);
    expect(await deliver(transport.mailer, { policy: "hold" })).toMatchObject({ status: "in-doubt" });
    expect(transport.calls()).toBe(0);
  });

  it("owns its claim when a retried write-once call finds its own first attempt", async () => {
    // Prepare: the first putIfAbsent landed but its answer was lost; the retry answers false.
    const token = "run-retried";
    await store.putIfAbsent(
      deliveryKeys.claim(DATE, ID, 1),
      JSON.stringify({ token, at: now.toISOString() }),
    );
    const retried: ObjectStore = {
      ...store,
      putIfAbsent: async () => false,
      get: (k) => store.get(k),
      put: (k, b) => store.put(k, b),
      list: (p) => store.list(p),
    };
    const transport = scriptedMailer([]);

    // Act
    const outcome = await deliverOnce(request, deps(transport.mailer, { store: retried, runToken: token }), {
      sent: new Set(),
      claims: new Map(),
    });

    // Assess
    expect(outcome).toMatchObject({ status: "sent", attempt: 1 });
  });

  it("does not send when another run holds the claim", async () => {
    await store.putIfAbsent(
      deliveryKeys.claim(DATE, ID, 1),
      JSON.stringify({ token: "other", at: now.toISOString() }),
    );
    const transport = scriptedMailer([]);
    const outcome = await deliverOnce(request, deps(transport.mailer), {
      sent: new Set(),
      claims: new Map(),
    });
    expect(outcome).toMatchObject({ status: "in-doubt" });
    expect(transport.calls()).toBe(0);
  });
});
