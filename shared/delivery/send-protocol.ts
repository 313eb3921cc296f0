/**
 * Send one digest at most once per subscriber and date, surviving retries, crashes and re-runs.
 *
 *   sent marker present ─────────────────────────────► already sent
 *   claim attempt n (write-once, with a run token) ──► send (paced, throttling retried) ─► sent marker
 *        │ definite failure (SES answered with an error, or never reached): write-once "released" n
 *        │ in-doubt failure (timeout/reset after the request left): leave the claim as it is
 *
 * A later run meeting an unreleased claim without a sent marker does not know whether the transport
 * accepted the message. It looks for the acceptance record (written from SES Send events by the
 * bounces function); with one it writes the sent marker; without one it waits `graceMs` (events
 * arrive within seconds) and then, under the "resend-after-grace" policy, sends again as attempt n+1,
 * or under "hold" never does. Dangerous spot: a transport that retries by itself on timeouts can
 * double a message — give this protocol a client that makes one attempt per call.
 */
import { randomUUID } from "node:crypto";
import type { Mailer, ObjectStore, OutgoingMessage, SendResult } from "../ports/index.js";
import { classifyFailure, describeFailure, type FailureKind } from "./failures.js";
import { deliveryKeys } from "./keys.js";
import type { RateLimiter } from "./rate-limiter.js";
import { type RetryDeps, type RetryPolicy, withRetry } from "./retry.js";
import { readJsonObject } from "./retrying-store.js";

export type InDoubtPolicy = "resend-after-grace" | "hold";

export const SEND_RETRY: RetryPolicy = {
  attempts: 6,
  baseDelayMs: 200,
  maxDelayMs: 8000,
  throttleFloorMs: 100,
};
/** How long an unconfirmed claim is left alone before a re-run may send again. */
export const DEFAULT_IN_DOUBT_GRACE_MS = 15 * 60_000;

/** What the store says about one date's deliveries, read with two list calls instead of a get per subscriber. */
export interface DeliveryState {
  sent: Set<string>;
  /** Per subscriber: attempt numbers claimed and released. */
  claims: Map<string, { claimed: number[]; released: Set<number> }>;
}

export type DeliveryOutcome =
  | { status: "sent"; messageId: string; attempt: number; paths?: string[]; warning?: string }
  | { status: "already-sent"; recovered?: "acceptance-record" }
  | { status: "in-doubt"; reason: string }
  | { status: "failed"; kind: FailureKind; error: string };

export interface DeliverRequest {
  date: string;
  subscriberId: string;
  message: OutgoingMessage;
  /** Papers in the message, for the sent marker. */
  papers: { id: string; version?: number }[];
}

export interface DeliverDeps {
  /** A store whose transient errors are already retried (retryingStore). */
  store: ObjectStore;
  mailer: Mailer;
  limiter: RateLimiter;
  now: () => Date;
  /** Identifies this run in claims, so a retried write-once call can tell its own claim from another run's. */
  runToken: string;
  policy: InDoubtPolicy;
  graceMs: number;
  sendRetry: RetryPolicy;
  retryDeps?: RetryDeps;
}

/** A fresh run token. */
export function newRunToken(): string {
  return randomUUID();
}

/**
 * Reads which subscribers were sent and which hold claims for a date. The claims are listed only when
 * one of `candidates` (subscriber ids about to be served) has no sent marker — a re-run of a finished
 * date costs one list call.
 */
export async function loadDeliveryState(
  store: ObjectStore,
  date: string,
  candidates?: readonly string[],
): Promise<DeliveryState> {
  const sent = new Set<string>();
  for (const key of await store.list(deliveryKeys.sentPrefix(date))) {
    const name = key.slice(deliveryKeys.sentPrefix(date).length);
    if (name.endsWith(".json") && !name.includes("/")) sent.add(name.slice(0, -".json".length));
  }
  const needClaims = !candidates || candidates.some((id) => !sent.has(id));
  const claimKeys = needClaims ? await store.list(deliveryKeys.claimsPrefix(date)) : [];
  const claims = new Map<string, { claimed: number[]; released: Set<number> }>();
  for (const key of claimKeys) {
    const match = /^([^/]+)\/(\d+)\.(claim|released)\.json$/.exec(
      key.slice(deliveryKeys.claimsPrefix(date).length),
    );
    if (!match?.[1] || !match[2]) continue;
    const entry = claims.get(match[1]) ?? { claimed: [], released: new Set<number>() };
    const n = Number(match[2]);
    if (match[3] === "claim") entry.claimed.push(n);
    else entry.released.add(n);
    claims.set(match[1], entry);
  }
  return { sent, claims };
}

/** Delivers one message under the protocol above. Never throws for a transport failure; store failures propagate. */
export async function deliverOnce(
  request: DeliverRequest,
  deps: DeliverDeps,
  state: DeliveryState,
): Promise<DeliveryOutcome> {
  const { date, subscriberId: id } = request;
  if (state.sent.has(id)) return { status: "already-sent" };
  const prior = state.claims.get(id);
  const highest = prior && prior.claimed.length > 0 ? Math.max(...prior.claimed) : 0;
  if (highest > 0 && !prior?.released.has(highest)) {
    const resolution = await resolveOpenClaim(request, deps, highest);
    if (resolution) return resolution;
  }
  const attempt = highest + 1;
  const claimed = await claimAttempt(deps, date, id, attempt, request.message.to);
  if (!claimed) return { status: "in-doubt", reason: `attempt ${attempt} is claimed by another run` };

  let sent: SendResult;
  try {
    sent = await withRetry(
      async () => {
        await deps.limiter.take();
        return deps.mailer.send(request.message);
      },
      deps.sendRetry,
      // Only failures where the transport surely did not accept the message are retried here.
      { ...deps.retryDeps, retryOn: (kind) => kind === "throttled" || kind === "transient" },
    );
  } catch (error) {
    const kind = classifyFailure(error);
    if (kind === "in-doubt") {
      return { status: "in-doubt", reason: `no answer from the transport: ${describeFailure(error)}` };
    }
    await deps.store.putIfAbsent(
      deliveryKeys.release(date, id, attempt),
      JSON.stringify({ at: deps.now().toISOString(), kind, error: describeFailure(error) }),
      "application/json",
    );
    return { status: "failed", kind, error: describeFailure(error) };
  }

  const warning = await recordSent(deps, request, { messageId: sent.messageId, attempt });
  return {
    status: "sent",
    messageId: sent.messageId,
    attempt,
    ...(sent.paths ? { paths: sent.paths } : {}),
    ...(warning ? { warning } : {}),
  };
}

/** An earlier attempt was claimed and never settled: decide from the acceptance record and the claim's age. */
async function resolveOpenClaim(
  request: DeliverRequest,
  deps: DeliverDeps,
  attempt: number,
): Promise<DeliveryOutcome | undefined> {
  const { date, subscriberId: id } = request;
  const accepted = await readJsonObject(deps.store, deliveryKeys.accepted(date, id));
  if (accepted) {
    const messageId = typeof accepted.messageId === "string" ? accepted.messageId : "accepted";
    await recordSent(deps, request, { messageId, attempt, recovered: true });
    return { status: "already-sent", recovered: "acceptance-record" };
  }
  const claim = await readJsonObject(deps.store, deliveryKeys.claim(date, id, attempt));
  // An unreadable claim (a crash between create and write on a folder) counts as old.
  const claimedAt = typeof claim?.at === "string" ? Date.parse(claim.at) : 0;
  const age = deps.now().getTime() - (Number.isFinite(claimedAt) ? claimedAt : 0);
  if (age < deps.graceMs) {
    const minutes = Math.ceil((deps.graceMs - age) / 60_000);
    return { status: "in-doubt", reason: `attempt ${attempt} is unconfirmed; decided in ${minutes} min` };
  }
  if (deps.policy === "hold") {
    return { status: "in-doubt", reason: `attempt ${attempt} is unconfirmed; held (no resend by policy)` };
  }
  return undefined;
}

/** Takes attempt `n`; true when this run owns it (also when a retried write-once call finds its own claim). */
async function claimAttempt(
  deps: DeliverDeps,
  date: string,
  id: string,
  n: number,
  to: string,
): Promise<boolean> {
  const key = deliveryKeys.claim(date, id, n);
  const body = { token: deps.runToken, at: deps.now().toISOString(), attempt: n, to };
  if (await deps.store.putIfAbsent(key, JSON.stringify(body), "application/json")) return true;
  const existing = await readJsonObject(deps.store, key);
  return existing?.token === deps.runToken;
}

/** Writes the sent marker; a failure here is a warning, the message is out (the history is folded per run). */
async function recordSent(
  deps: DeliverDeps,
  request: DeliverRequest,
  sent: { messageId: string; attempt: number; recovered?: boolean },
): Promise<string | undefined> {
  const { date, subscriberId: id } = request;
  try {
    await deps.store.putIfAbsent(
      deliveryKeys.sent(date, id),
      JSON.stringify({
        messageId: sent.messageId,
        attempt: sent.attempt,
        at: deps.now().toISOString(),
        papers: request.papers.map((p) => p.id),
        ...(sent.recovered ? { recovered: "acceptance-record" } : {}),
      }),
      "application/json",
    );
  } catch (error) {
    return `sent, but the sent marker could not be written (a later run resolves it): ${describeFailure(error)}`;
  }
  return undefined;
}
