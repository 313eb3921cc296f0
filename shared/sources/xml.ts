/** Reading feed XML safely: no DOCTYPE entities, no external entities, malformed XML as a FeedError. */
import { decodeXML } from "entities";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { type Handler, Parser } from "htmlparser2";
import * as z from "zod";
import { FeedError } from "../domain/errors.js";

/** Element names that may repeat in the feeds we read; always parsed as arrays. */
const REPEATED_ELEMENTS = new Set(["item", "entry", "author", "category", "link", "dc:creator"]);

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

/**
 * Validates and parses feed XML into plain objects, the shape fast-xml-parser gives (`"#text"`, `"@_name"`
 * attributes, REPEATED_ELEMENTS as arrays). Throws FeedError naming the origin and the line.
 */
export function readXml(body: string, origin: string): Record<string, unknown> {
  assertNoEntityDeclarations(body, origin);
  // fast-xml-parser's validator decides what is well-formed and words the error.
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    const { msg, line } = valid.err;
    throw new FeedError(`${origin}: not a recognized feed (malformed XML at line ${line}: ${msg})`);
  }
  try {
    return readXmlTree(body);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new FeedError(`${origin}: not a recognized feed (XML could not be read: ${message})`, {
      cause: error,
    });
  }
}

/** Deepest nesting read, by either reader (fast-xml-parser's maxNestedTags): a deeper element is refused. */
const MAX_NESTED_ELEMENTS = 100;

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
  maxNestedTags: MAX_NESTED_ELEMENTS,
});

/**
 * A validated document as plain objects. htmlparser2 reads it (entities left as written too), four times
 * faster than fast-xml-parser's parser; fast-xml-parser still reads a document with markup that the two
 * would read differently (see readsPlainly and UnusualMarkup), so the result is always fast-xml-parser's.
 */
export function readXmlTree(xml: string): Record<string, unknown> {
  const text = xml.includes("\r") ? xml.replace(/\r\n?/g, "\n") : xml;
  const { root, prolog } = readXmlHead(text);
  if (root !== undefined && readsPlainly(text, prolog)) {
    try {
      // Declaration, comments and DOCTYPE before the root give nothing; the tokenizer starts at the root.
      return new TreeBuilder(text.slice(prolog.length)).read();
    } catch (error) {
      if (!(error instanceof UnusualMarkup)) throw error;
    }
  }
  return readXmlTreeWithFastXmlParser(text);
}

/** fast-xml-parser's reading of a validated document: for what readXmlTree does not take, and the tests' reference. */
export function readXmlTreeWithFastXmlParser(xml: string): Record<string, unknown> {
  return parser.parse(xml) as Record<string, unknown>;
}

/**
 * Whether htmlparser2 reads the document as fast-xml-parser does. The validator lets through markup the
 * two read differently: a DOCTYPE, "<!ENTITY …>" or processing instruction after the root starts, a
 * "<!-->" comment, a quote left open in the XML declaration. Feeds have none; a document that does is
 * read by fast-xml-parser, so it gives (or is refused with) exactly what it did before.
 */
function readsPlainly(xml: string, prolog: string): boolean {
  if (xml.includes("<?", prolog.length)) return false;
  for (let at = xml.indexOf("<!", prolog.length); at >= 0; at = xml.indexOf("<!", at + 2)) {
    const comment = xml.startsWith("--", at + 2) && !/^-?>/.test(xml.slice(at + 4, at + 6));
    if (!comment && !xml.startsWith("[CDATA[", at + 2)) return false;
  }
  // The prolog must come to nothing by fast-xml-parser's rules too (where its PIs and DOCTYPE end).
  try {
    return Object.keys(parser.parse(prolog)).length === 0;
  } catch {
    return false;
  }
}

/** Thrown where htmlparser2 may read a tag otherwise than fast-xml-parser; that one reads the document. */
class UnusualMarkup extends Error {}

// Whitespace to JavaScript (and so to fast-xml-parser, which splits tags with /\s/), but not all of it to
// htmlparser2: "<a\u00a0b='1'>" is one name there. Validated feeds have none inside a tag.
const WHITESPACE = /\s/;

/** Element names that would reach Object.prototype; refused, as fast-xml-parser refuses them. */
const FORBIDDEN_NAMES = new Set(["__proto__", "constructor", "prototype"]);
/** Element names that would shadow Object.prototype methods; renamed "__<name>", as fast-xml-parser does. */
const SHADOWING_NAMES = new Set([
  "hasOwnProperty",
  "toString",
  "valueOf",
  "__defineGetter__",
  "__defineSetter__",
  "__lookupGetter__",
  "__lookupSetter__",
]);

/** An element being read: its children so far, its text, its attributes. */
interface OpenElement {
  name: string;
  /** Child elements by name; made with the first one (most elements hold text only). */
  children: Record<string, unknown> | undefined;
  text: string | undefined;
  attributes: [string, string][] | undefined;
}

/**
 * Turns htmlparser2's events into fast-xml-parser's object shape: each text run between two tags (a
 * comment does not end one) is trimmed, CDATA is kept as written, and an element's runs are joined.
 */
class TreeBuilder implements Partial<Handler> {
  readonly document: Record<string, unknown> = {};
  /** Stands for the document: text after the root element (CDATA, say) is the document's "#text". */
  private readonly top = openElement("", this.document);
  private readonly open: OpenElement[] = [];
  private pending = "";
  private cdata: string | undefined;
  /** Whether the element just opened closed itself ("<a/>"). */
  private selfClosing = false;
  private readonly parser: Parser;

  constructor(private readonly xml: string) {
    this.parser = new Parser(this, { xmlMode: true, decodeEntities: false });
  }

  /** Reads the document; throws UnusualMarkup where fast-xml-parser might read it otherwise. */
  read(): Record<string, unknown> {
    this.parser.end(this.xml);
    if (this.top.text) this.document["#text"] = this.top.text;
    return this.document;
  }

  onopentagname(name: string): void {
    if (WHITESPACE.test(name)) throw new UnusualMarkup();
    if (FORBIDDEN_NAMES.has(name)) {
      throw new Error(
        `[SECURITY] Invalid name: "${name}" is a reserved JavaScript keyword that could cause prototype pollution`,
      );
    }
    this.flushText();
    this.open.push(openElement(SHADOWING_NAMES.has(name) ? `__${name}` : name));
  }

  onattribute(name: string, value: string, quote?: string | null): void {
    // fast-xml-parser reads quoted values only, and names up to any whitespace. (The validator refuses
    // the others today; this keeps the two readers equal should it ever let one through.)
    if ((quote !== '"' && quote !== "'") || WHITESPACE.test(name)) throw new UnusualMarkup();
    const element = this.current();
    element.attributes ??= [];
    element.attributes.push([`@_${name}`, value.trim()]);
  }

  onopentag(): void {
    // A self-closing "<a/>" nests nothing; the parser's endIndex is the tag's ">".
    this.selfClosing = this.xml.charCodeAt(this.parser.endIndex - 1) === 47;
    if (!this.selfClosing && this.open.length - 1 > MAX_NESTED_ELEMENTS) {
      throw new Error("Maximum nested tags exceeded");
    }
  }

  ontext(text: string): void {
    if (this.cdata !== undefined) this.cdata += text;
    else this.pending += text;
  }

  oncdatastart(): void {
    this.flushText();
    this.cdata = "";
  }

  oncdataend(): void {
    addText(this.current(), this.cdata ?? "");
    this.cdata = undefined;
  }

  onclosetag(_name: string, isImplied: boolean): void {
    // Implied: closed by "/>", or else by htmlparser2 where its names or nesting differ from the validator's.
    if (isImplied && !this.selfClosing) throw new UnusualMarkup();
    this.selfClosing = false;
    this.flushText();
    const element = this.open.pop();
    if (element !== undefined) addChild(this.current(), element.name, elementValue(element));
  }

  private current(): OpenElement {
    return this.open[this.open.length - 1] ?? this.top;
  }

  /** Adds the text run read so far (trimmed; dropped when blank) to the element it is in. */
  private flushText(): void {
    if (this.pending === "") return;
    const text = this.pending.trim();
    if (text !== "") addText(this.current(), text);
    this.pending = "";
  }
}

function openElement(name: string, children?: Record<string, unknown>): OpenElement {
  return { name, children, text: undefined, attributes: undefined };
}

function addText(element: OpenElement, text: string): void {
  element.text = element.text === undefined ? text : element.text + text;
}

/** An element as fast-xml-parser gives it: its text alone, "" when empty, else an object. */
function elementValue({ children, attributes, text }: OpenElement): unknown {
  const hasText = text !== undefined && text !== "";
  if (children === undefined && attributes === undefined) return hasText ? text : "";
  const value = children ?? {};
  if (hasText) value["#text"] = text;
  for (const [name, attribute] of attributes ?? []) value[name] = attribute;
  return value;
}

/** Adds a closed element to its parent: a repeated name becomes an array, as REPEATED_ELEMENTS always are. */
function addChild(parent: OpenElement, name: string, value: unknown): void {
  parent.children ??= {};
  const children = parent.children;
  const existing = children[name];
  if (existing !== undefined && Object.hasOwn(children, name)) {
    if (Array.isArray(existing)) existing.push(value);
    else children[name] = [existing, value];
  } else {
    children[name] = REPEATED_ELEMENTS.has(name) ? [value] : value;
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
