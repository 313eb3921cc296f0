/** Escaping and sanitizing of feed text before it reaches HTML, links or mail headers. */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#x27;",
};

/** Text safe inside an HTML element or a quoted attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

// Bidi embeddings, overrides and isolates let feed text reorder what the reader sees ("Trojan Source");
// control characters have no business in a digest. \p{Cc} covers C0, DEL and C1.
const UNSAFE_CHARS = /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/gu;

/** Printable ASCII words, single spaces between them: text cleanText would return as it is. */
const CLEAN_ASCII = /^(?:[\x21-\x7e]+(?: [\x21-\x7e]+)*)?$/;

/** One line of plain text: whitespace (CR/LF included) collapsed, controls and bidi overrides removed. */
export function cleanText(value: string): string {
  // Names, notes and subjects are mostly clean already: one test instead of two replaces and a trim.
  if (CLEAN_ASCII.test(value)) return value;
  return value.replace(/\s+/g, " ").replace(UNSAFE_CHARS, "").trim();
}

/** A value safe for one mail header line: no CR/LF or other control characters, bounded length. */
export function headerValue(value: string, maxLength = 900): string {
  const clean = cleanText(value);
  return clean.length > maxLength ? clean.slice(0, maxLength) : clean;
}

/** The URL when it is absolute http(s) (normalized); one definition, shared with the feed parsers. */
export { safeHttpUrl } from "../sources/text.js";
