/** Stable, file-name-safe subscriber ids: readable, but unique even when two emails clean to the same text. */
import { createHash } from "node:crypto";

// A run asks for the same reader's id a few times in a row (the mail stage, the composer's unsubscribe
// link): the last ids made are kept. Bounded: emptied when full.
const recent = new Map<string, string>();
const RECENT_MAX = 1024;

/** "ada@example.org" → "ada-example.org-3f2a9c1b0d". Case-insensitive in the address. */
export function subscriberId(email: string): string {
  let id = recent.get(email);
  if (id === undefined) {
    id = idOf(email);
    if (recent.size >= RECENT_MAX) recent.clear();
    recent.set(email, id);
  }
  return id;
}

function idOf(email: string): string {
  const normalized = email.trim().toLowerCase();
  const readable = normalized
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  const hash = createHash("sha256").update(normalized).digest("hex").slice(0, 10);
  return `${readable || "subscriber"}-${hash}`;
}
