/**
 * Render-once templates: React Email markup rendered a single time with slot tokens, split at the tokens,
 * then filled per message by string assembly. Slot values must already be HTML-safe.
 */
import { randomBytes } from "node:crypto";
import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";

export interface Template {
  /** Static HTML between the slots: parts.length === slots.length + 1. */
  parts: string[];
  slots: string[];
}

// A per-process nonce in every token, so feed text that imitates a token can never become a slot.
const nonce = randomBytes(6).toString("hex");
const TOKEN = new RegExp(`\\{\\{pb${nonce}:([a-z]+)\\}\\}`, "g");

/** The placeholder for a slot named `name` (lower-case letters). */
export function slot(name: string): string {
  return `{{pb${nonce}:${name}}}`;
}

// React 19 adds <link rel="preload" as="image"> for every <img>; in an email it is noise (React Email
// strips it too).
const IMAGE_PRELOAD = /<link rel="preload" as="image"[^>]*>/g;
// React Email marks every Column for its Tailwind pass; we do not use it, and 25 cards pay for it in bytes.
const COLUMN_MARKER = / data-id="__react-email-column"/g;

/**
 * Static HTML of a React element, synchronously. React Email's own render() is async-only; it wraps the
 * same react-dom/server renderer, and we apply its two post-steps (XHTML doctype, no image preloads).
 */
export function renderMarkup(element: ReactElement, document = false): string {
  const html = renderToStaticMarkup(element).replace(IMAGE_PRELOAD, "").replace(COLUMN_MARKER, "");
  if (!document) return html;
  return `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">${html.replace(/<!DOCTYPE.*?>/, "")}`;
}

/** A template from markup that contains slot() tokens. */
export function compileTemplate(html: string): Template {
  const parts: string[] = [];
  const slots: string[] = [];
  let last = 0;
  for (const match of html.matchAll(TOKEN)) {
    parts.push(html.slice(last, match.index));
    slots.push(match[1] ?? "");
    last = match.index + match[0].length;
  }
  parts.push(html.slice(last));
  return { parts, slots };
}

/** The template with every slot replaced by its (already escaped) value; missing values become "". */
export function fillTemplate(template: Template, values: Readonly<Record<string, string>>): string {
  let out = template.parts[0] ?? "";
  for (let i = 0; i < template.slots.length; i++) {
    out += (values[template.slots[i] ?? ""] ?? "") + (template.parts[i + 1] ?? "");
  }
  return out;
}
