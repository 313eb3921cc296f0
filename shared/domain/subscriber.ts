/** Stable, file-name-safe subscriber ids: readable, but unique even when two emails clean to the same text. */
import { createHash } from "node:crypto";

/** "ada@example.org" → "ada-example.org-3f2a9c1b0d". Case-insensitive in the address. */
export function subscriberId(email: string): string {
  const normalized = email.trim().toLowerCase();
  const readable = normalized
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  const hash = createHash("sha256").update(normalized).digest("hex").slice(0, 10);
  return `${readable || "subscriber"}-${hash}`;
}
