/**
 * The unsubscribe endpoint's logic, apart from Lambda: GET shows a confirmation button (link scanners
 * and previews fetch URLs, so a GET never unsubscribes); POST — the RFC 8058 one-click request from a
 * mail client, or the button — records the opt-out. Pages echo nothing from the request.
 */
import type { ObjectStore } from "../ports/index.js";
import { recordOptOut } from "./opt-out.js";
import { verifyUnsubscribe } from "./token.js";

export interface UnsubscribeRequest {
  method: string;
  query: Record<string, string | undefined>;
}

export interface UnsubscribeResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
};

/** Answers one request to the unsubscribe URL. */
export async function handleUnsubscribe(
  request: UnsubscribeRequest,
  deps: { store: ObjectStore; key: Buffer; now: () => Date },
): Promise<UnsubscribeResponse & { subscriberId?: string }> {
  const method = request.method.toUpperCase();
  if (method === "POST") {
    const result = await recordOptOut(
      deps.store,
      deps.key,
      { s: request.query.s, sig: request.query.sig },
      deps.now(),
    );
    if (!result.ok) return page(400, "This unsubscribe link is not valid.");
    return {
      ...page(200, "You are unsubscribed. You will get no more Paperboy digests."),
      subscriberId: result.subscriberId,
    };
  }
  if (method === "GET" || method === "HEAD") {
    if (!verifyUnsubscribe(deps.key, request.query.s, request.query.sig)) {
      return page(400, "This unsubscribe link is not valid.");
    }
    return page(200, "Stop receiving Paperboy digests?", true);
  }
  return { ...page(405, "Method not allowed."), headers: { ...HEADERS, allow: "GET, POST" } };
}

function page(status: number, message: string, confirm = false): UnsubscribeResponse {
  // The form posts to the same URL (query string included), so the signature travels with it.
  const form = confirm
    ? '<form method="post"><button type="submit" style="font-size:16px;padding:8px 16px">Unsubscribe</button></form>'
    : "";
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Paperboy</title></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem"><p>${message}</p>${form}</body></html>`;
  return { status, headers: { ...HEADERS }, body };
}
