/** Stable, file-name-safe subscriber ids: readable, but unique even when two emails clean to the same text. */
import { hash } from "node:crypto";

/** "ada@example.org" → "ada-example.org-3f2a9c1b0d". Case-insensitive in the address. */
export function subscriberId(email: string): string {
  const normalized = email.trim().toLowerCase();
  const readable = normalized
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  // One-shot hash (Node ≥ 20.12): no Hash object per reader.
  return `${readable || "subscriber"}-${hash("sha256", normalized, "hex").slice(0, 10)}`;
}
