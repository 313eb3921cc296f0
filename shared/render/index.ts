/** Rendering of digests (HTML + text + MIME) and of the daily archive page. */
export { renderArchive } from "./archive.js";
export type { DigestRenderer, RenderContext, RenderedDigest } from "./digest.js";
export { createDigestRenderer, htmlBytes } from "./digest.js";
export { RenderError } from "./errors.js";
export { cleanText, escapeHtml, headerValue, safeHttpUrl } from "./escape.js";
export { formatSubject, shortenAtWord, shortenAuthors, tldr } from "./format.js";
export {
  archiveUrlFor,
  buildMessage,
  type MessageOptions,
  type MessagePieces,
  messagePieces,
} from "./mime.js";
