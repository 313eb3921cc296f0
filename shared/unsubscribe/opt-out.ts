/** The one-click opt-out: a verified link records a suppression for its subscriber. */
import { suppress } from "../delivery/suppression.js";
import type { ObjectStore } from "../ports/index.js";
import { verifyUnsubscribe } from "./token.js";

export type OptOutResult = { ok: true; subscriberId: string } | { ok: false };

/** Verifies the link's parameters and records the opt-out; a bad or forged link records nothing. */
export async function recordOptOut(
  store: ObjectStore,
  key: Buffer,
  params: { s?: unknown; sig?: unknown },
  at: Date,
): Promise<OptOutResult> {
  const id = verifyUnsubscribe(key, params.s, params.sig);
  if (!id) return { ok: false };
  await suppress(store, id, { reason: "unsubscribe", at: at.toISOString(), detail: "one-click" });
  return { ok: true, subscriberId: id };
}
