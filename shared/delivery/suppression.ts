/** The suppression list: addresses that unsubscribed, bounced for good or complained get nothing more. */
import { subscriberId } from "../domain/subscriber.js";
import type { ObjectStore } from "../ports/index.js";
import { deliveryKeys, idFromKey } from "./keys.js";

export type SuppressionReason = "unsubscribe" | "bounce" | "complaint";

export interface Suppression {
  reason: SuppressionReason;
  /** ISO time it was recorded. */
  at: string;
  /** Where it came from: a bounce type, an SES feedback id (never the signing key or a token). */
  detail?: string;
}

/** Records that a subscriber (by id) gets nothing more. Overwrites: the latest reason wins. */
export async function suppress(store: ObjectStore, id: string, suppression: Suppression): Promise<void> {
  await store.put(deliveryKeys.suppressed(id), JSON.stringify(suppression), "application/json");
}

/** Records a suppression by e-mail address (bounces and complaints name the address, not the id). */
export async function suppressAddress(store: ObjectStore, email: string, suppression: Suppression) {
  const id = subscriberId(email);
  await suppress(store, id, suppression);
  return id;
}

/** Every suppressed subscriber id (one list call). */
export async function loadSuppressed(store: ObjectStore): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const key of await store.list(deliveryKeys.suppressedPrefix)) {
    const id = idFromKey(deliveryKeys.suppressedPrefix, key);
    if (id) ids.add(id);
  }
  return ids;
}
