/** Reading feed XML safely: no DOCTYPE entities, no external entities, malformed XML as a FeedError. */
import { decodeXML } from "entities";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import * as z from "zod";
import { FeedError } from "../domain/errors.js";

/** Element names that may repeat in the feeds we read; always parsed as arrays. */
const REPEATED_ELEMENTS = new Set(["item", "entry", "author", "category", "link", "dc:creator"]);

// processEntities off: the parser expands nothing (no DOCTYPE entity bombs, no external entities);
// the five XML entities and character references are decoded by decodeXmlText on the values we read.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (name) => REPEATED_ELEMENTS.has(name),
});

/** What precedes the root element, and the root element's name. */
export interface XmlHead {
  /** Root element name with its prefix ("rss", "rdf:RDF", "feed"), or undefined when there is none. */
  root: string | undefined;
  /** Everything before the root element: declaration, comments, DOCTYPE. */
  prolog: string;
}

/** Finds the root element without parsing the whole document (a linear scan, no backtracking regex). */
export function readXmlHead(body: string): XmlHead {
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    if (c !== "<") return { root: undefined, prolog: body.slice(0, i) };
    if (body.startsWith("<?", i)) {
      const end = body.indexOf("?>", i + 2);
      if (end < 0) break;
      i = end + 2;
    } else if (body.startsWith("<!--", i)) {
      const end = body.indexOf("-->", i + 4);
      if (end < 0) break;
      i = end + 3;
    } else if (body.startsWith("<!", i)) {
      i = skipDoctype(body, i);
      if (i < 0) break;
    } else {
      const m = /^<([A-Za-z_][\w:.-]*)/.exec(body.slice(i, i + 200));
      return { root: m?.[1], prolog: body.slice(0, i) };
    }
  }
  // Nothing but prolog, or a construct that never ends: all of it counts as prolog.
  return { root: undefined, prolog: body };
}

/** Index after a "<!DOCTYPE …>" (internal subset in brackets included), or -1 when it does not end. */
function skipDoctype(body: string, start: number): number {
  let depth = 0;
  for (let j = start + 2; j < body.length; j++) {
    const c = body[j];
    if (c === "[") depth++;
    else if (c === "]") depth--;
    else if (c === ">" && depth <= 0) return j + 1;
  }
  return -1;
}

/**
 * Throws a FeedError when the prolog declares entities. Real feeds never do; declared entities are how
 * "billion laughs" bombs and external-entity (file, URL) reads start, whatever the parser underneath.
 */
export function assertNoEntityDeclarations(body: string, origin: string): void {
  const { prolog } = readXmlHead(body);
  if (/<!ENTITY/i.test(prolog)) {
    throw new FeedError(
      `${origin}: not a recognized feed (the XML declares DOCTYPE entities, which feeds never need; refused)`,
    );
  }
}

/** Validates and parses feed XML into plain objects. Throws FeedError naming the origin and the line. */
export function readXml(body: string, origin: string): Record<string, unknown> {
  assertNoEntityDeclarations(body, origin);
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    const { msg, line } = valid.err;
    throw new FeedError(`${origin}: not a recognized feed (malformed XML at line ${line}: ${msg})`);
  }
  try {
    return parser.parse(body) as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new FeedError(`${origin}: not a recognized feed (XML could not be read: ${message})`, {
      cause: error,
    });
  }
}

/** Decodes the XML entities (&amp; &lt; … &#NN;) of a value read with entity processing off. */
export function decodeXmlText(value: string): string {
  return value.includes("&") ? decodeXML(value) : value;
}

/** Text content of an element as parsed (a string, or an object with "#text" when it has attributes). */
export const xmlText = z.preprocess((value) => {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (value && typeof value === "object" && "#text" in value) return String(value["#text"]);
  return value;
}, z.string());

/** An optional element's text; anything unreadable counts as absent rather than failing the entry. */
export const optionalXmlText = xmlText.optional().catch(undefined);

/** An attribute value of an element ("@_href"), or undefined. */
export function xmlAttribute(node: unknown, name: string): string | undefined {
  if (node && typeof node === "object" && `@_${name}` in node) {
    const value = (node as Record<string, unknown>)[`@_${name}`];
    return typeof value === "string" ? decodeXmlText(value) : undefined;
  }
  return undefined;
}

/** A child element that may be missing, single or repeated, as an array. */
export function xmlList(value: unknown): unknown[] {
  if (value === undefined || value === null || value === "") return [];
  return Array.isArray(value) ? value : [value];
}

/** A child object of a parsed element, or undefined. */
export function xmlChild(node: unknown, name: string): unknown {
  return node && typeof node === "object" ? (node as Record<string, unknown>)[name] : undefined;
}
