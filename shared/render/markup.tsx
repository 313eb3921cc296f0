/** React (React Email components) to static HTML, synchronously: used when building templates, and by the CLI's preview index. */
import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";

// React 19 adds <link rel="preload" as="image"> for every <img>: noise in an email (React Email strips it too).
const IMAGE_PRELOAD = /<link rel="preload" as="image"[^>]*>/g;
// React Email marks every Column for its Tailwind pass; we do not use it, and 25 cards pay for it in bytes.
const COLUMN_MARKER = / data-id="__react-email-column"/g;

/**
 * Static HTML of a React element. React Email's own render() is async-only; it wraps the same
 * react-dom/server renderer, and we apply its post-steps (XHTML doctype for emails, no image preloads).
 */
export function renderMarkup(element: ReactElement, doctype: "none" | "email" | "web" = "none"): string {
  const html = renderToStaticMarkup(element).replace(IMAGE_PRELOAD, "").replace(COLUMN_MARKER, "");
  if (doctype === "web") return `<!DOCTYPE html>${html}`;
  if (doctype === "email") {
    return `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">${html}`;
  }
  return html;
}
