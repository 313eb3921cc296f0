/** Storage keys of the delivery state (claims, acceptance records, history, suppression), beside shared/domain/keys.ts. */
import { keys, safeSegment } from "../domain/keys.js";

export const deliveryKeys = {
  /** Write-once marker: the digest for this subscriber and date was sent (the domain's key). */
  sent: keys.sentMarker,
  sentPrefix: (date: string) => `state/sent/${date}/`,
  /** Write-once claim of send attempt `n`, taken before the message is handed to the transport. */
  claim: (date: string, subscriberId: string, n: number) =>
    `state/claims/${date}/${safeSegment(subscriberId)}/${n}.claim.json`,
  /** Write-once release of attempt `n`: the transport definitely did not accept it, so a later run may retry. */
  release: (date: string, subscriberId: string, n: number) =>
    `state/claims/${date}/${safeSegment(subscriberId)}/${n}.released.json`,
  claimsPrefix: (date: string) => `state/claims/${date}/`,
  /** The transport confirmed it accepted this subscriber's message for this date (SES Send event). */
  accepted: (date: string, subscriberId: string) =>
    `state/accepted/${date}/${safeSegment(subscriberId)}.json`,
  /** Papers sent, per subscriber, for the subscribers of one shard (see history.ts). */
  historyShard: (shard: string) => `state/history/${safeSegment(shard)}.json`,
  /** This address gets nothing any more (unsubscribed, bounced, complained). */
  suppressed: (subscriberId: string) => `state/suppressed/${safeSegment(subscriberId)}.json`,
  suppressedPrefix: "state/suppressed/",
} as const;

/** The subscriber id and file name of a key under a per-subscriber prefix (`<prefix><id>.json`), if it is one. */
export function idFromKey(prefix: string, key: string): string | undefined {
  if (!key.startsWith(prefix) || !key.endsWith(".json")) return undefined;
  const rest = key.slice(prefix.length, -".json".length);
  return rest && !rest.includes("/") ? rest : undefined;
}

/** The hash part of a subscriber id ("ada-example.org-3f2a9c1b0d" → "3f2a9c1b0d"): what logs may name, never the address. */
export function subscriberHash(subscriberId: string): string {
  return subscriberId.slice(subscriberId.lastIndexOf("-") + 1);
}
