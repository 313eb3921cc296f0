/**
 * A one-pass reader for the plain XML feeds are made of: elements, quoted attributes, text with entity
 * references, CDATA. It builds exactly the objects fast-xml-parser builds with readXml's options, about
 * ten times faster, and answers undefined for anything else (comments, DOCTYPE, processing
 * instructions, odd spacing in tags, malformed or very deep XML): readXml then validates and parses the
 * document with fast-xml-parser, which stays the reference and the source of error messages.
 *
 * Dangerous spot: a document read here is never validated, so everything accepted must be well-formed
 * by XMLValidator's rules; when in doubt, answer undefined. test/unit/sources-plain-xml.test.ts checks
 * both (same objects, validator agrees) on the fixtures and on thousands of mutated documents.
 */

/** What the elements read here become, as in fast-xml-parser: text under "#text", attributes "@_name". */
type XmlValue = string | XmlObject | XmlValue[];
interface XmlObject {
  [key: string]: XmlValue;
}

/** An element being read: its children so far, its text pieces, its attributes. */
interface OpenElement {
  name: string;
  children: XmlObject;
  text: string | undefined;
  attributes: Array<[string, string]> | undefined;
}

// fast-xml-parser refuses or renames these as element names (prototype pollution guards).
const RESERVED_NAMES = new Set([
  "__proto__",
  "constructor",
  "prototype",
  "hasOwnProperty",
  "toString",
  "valueOf",
  "__defineGetter__",
  "__defineSetter__",
  "__lookupGetter__",
  "__lookupSetter__",
]);
// fast-xml-parser throws past 100 nested elements; feeds nest five deep.
const MAX_DEPTH = 64;
// Feeds' elements have a handful of attributes (namespace declarations on the root the most).
const MAX_ATTRIBUTES = 32;
// The declaration, only at the very start (XMLValidator refuses it anywhere else).
const DECLARATION =
  /<\?xml(?:[ \t\n]+[A-Za-z_][\w.:-]*[ \t\n]*=[ \t\n]*(?:"[^"<>]*"|'[^'<>]*'))*[ \t\n]*\?>/y;
// An entity or character reference XMLValidator accepts (it allows a few more; those go the slow way).
const REFERENCE = /&(?:[A-Za-z0-9_]{1,20}|#[0-9]+|#x[0-9a-fA-F]+);/y;

/**
 * The document as fast-xml-parser would give it (`{ root: … }`), or undefined when it is not plain XML.
 * `repeated` names the elements that are always arrays (fast-xml-parser's isArray).
 */
export function readPlainXml(body: string, repeated: ReadonlySet<string>): XmlObject | undefined {
  // fast-xml-parser reads CR LF and lone CR as LF before anything else.
  const xml = body.includes("\r") ? body.replace(/\r\n?/g, "\n") : body;
  let i = 0;
  DECLARATION.lastIndex = 0;
  if (DECLARATION.test(xml)) i = DECLARATION.lastIndex;
  i = skipSpace(xml, i);

  const document: XmlObject = {};
  const stack: OpenElement[] = [];
  let closedRoot = false;
  while (i < xml.length) {
    if (xml.charCodeAt(i) !== LT) return undefined;
    const next = xml.charCodeAt(i + 1);
    if (next === SLASH) {
      // Closing tag: "</name>" with optional space before ">", naming the open element.
      const open = stack.pop();
      if (!open) return undefined;
      const end = i + 2 + open.name.length;
      if (!xml.startsWith(open.name, i + 2)) return undefined;
      const gt = skipSpace(xml, end);
      if (xml.charCodeAt(gt) !== GT) return undefined;
      addChild(stack.at(-1)?.children ?? document, open.name, elementValue(open, repeated), repeated);
      i = gt + 1;
      if (stack.length === 0) closedRoot = true;
    } else if (next === BANG) {
      // Only CDATA, and only inside an element: its text is kept as is (not trimmed).
      const open = stack.at(-1);
      if (!open || !xml.startsWith("<![CDATA[", i)) return undefined;
      const end = xml.indexOf("]]>", i + 9);
      if (end < 0) return undefined;
      const data = xml.slice(i + 9, end);
      open.text = open.text === undefined ? data : open.text + data;
      i = end + 3;
    } else {
      if (closedRoot || stack.length >= MAX_DEPTH) return undefined;
      const tag = readStartTag(xml, i);
      if (!tag) return undefined;
      const element: OpenElement = {
        name: tag.name,
        children: {},
        text: undefined,
        attributes: tag.attributes,
      };
      if (tag.selfClosing) {
        addChild(stack.at(-1)?.children ?? document, element.name, elementValue(element, repeated), repeated);
        if (stack.length === 0) closedRoot = true;
      } else {
        stack.push(element);
      }
      i = tag.end;
    }
    // Text up to the next tag: trimmed, dropped when blank, entity references checked but not decoded.
    const lt = xml.indexOf("<", i);
    const stop = lt < 0 ? xml.length : lt;
    const open = stack.at(-1);
    if (open) {
      const raw = xml.slice(i, stop);
      if (raw.includes("&") && !referencesValid(raw)) return undefined;
      const text = raw.trim();
      if (text !== "") open.text = open.text === undefined ? text : open.text + text;
    } else if (skipSpace(xml, i) !== stop) {
      return undefined;
    }
    i = stop;
  }
  return closedRoot && stack.length === 0 ? document : undefined;
}

/** A start tag `<name a="v" b='w'>` or `<name …/>`: one space or more before each attribute, none around "=". */
function readStartTag(
  xml: string,
  start: number,
):
  | { name: string; attributes: Array<[string, string]> | undefined; selfClosing: boolean; end: number }
  | undefined {
  let i = start + 1;
  const nameEnd = readName(xml, i);
  if (nameEnd === i) return undefined;
  const name = xml.slice(i, nameEnd);
  if (RESERVED_NAMES.has(name)) return undefined;
  i = nameEnd;
  let attributes: Array<[string, string]> | undefined;
  for (;;) {
    const spaced = skipSpace(xml, i);
    const c = xml.charCodeAt(spaced);
    if (c === GT) return { name, attributes, selfClosing: false, end: spaced + 1 };
    if (c === SLASH) {
      if (xml.charCodeAt(spaced + 1) !== GT) return undefined;
      return { name, attributes, selfClosing: true, end: spaced + 2 };
    }
    if (spaced === i) return undefined;
    const attrEnd = readName(xml, spaced);
    if (attrEnd === spaced || xml.charCodeAt(attrEnd) !== EQUALS) return undefined;
    const quote = xml.charCodeAt(attrEnd + 1);
    if (quote !== QUOTE && quote !== APOSTROPHE) return undefined;
    const close = xml.indexOf(quote === QUOTE ? '"' : "'", attrEnd + 2);
    if (close < 0) return undefined;
    const value = xml.slice(attrEnd + 2, close);
    if (value.includes("<")) return undefined;
    const attrName = xml.slice(spaced, attrEnd);
    attributes ??= [];
    // The duplicate check is quadratic: a tag with more attributes than any feed's goes the slow way.
    if (attributes.length >= MAX_ATTRIBUTES || attributes.some(([n]) => n === attrName)) return undefined;
    attributes.push([attrName, value.trim()]);
    i = close + 1;
  }
}

/** The element's value as fast-xml-parser compresses it: "" when empty, the text alone, or an object. */
function elementValue(element: OpenElement, repeated: ReadonlySet<string>): XmlValue {
  const value = element.children;
  if (element.text !== undefined && element.text !== "") value["#text"] = element.text;
  if (element.attributes) {
    for (const [name, attr] of element.attributes) {
      const key = `@_${name}`;
      value[key] = repeated.has(key) ? [attr] : attr;
    }
    return value;
  }
  let keys = 0;
  for (const _ in value) keys++;
  if (keys === 0) return "";
  if (keys === 1 && value["#text"] !== undefined) return value["#text"];
  return value;
}

/** Adds a child's value under its name: a second one makes an array; a repeated name is always one. */
function addChild(children: XmlObject, name: string, value: XmlValue, repeated: ReadonlySet<string>): void {
  const existing = Object.hasOwn(children, name) ? children[name] : undefined;
  if (existing === undefined) children[name] = repeated.has(name) ? [value] : value;
  else if (Array.isArray(existing)) existing.push(value);
  else children[name] = [existing, value];
}

/** True when every "&" starts a reference XMLValidator accepts. */
function referencesValid(text: string): boolean {
  for (let amp = text.indexOf("&"); amp >= 0; amp = text.indexOf("&", amp + 1)) {
    REFERENCE.lastIndex = amp;
    if (!REFERENCE.test(text)) return false;
  }
  return true;
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;

/** Index of the first character at or after `i` that is not a space, tab or line feed. */
function skipSpace(xml: string, i: number): number {
  let j = i;
  for (;;) {
    const c = xml.charCodeAt(j);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a) return j;
    j++;
  }
}

/** End of an ASCII XML name starting at `i` (letter or "_" first; then letters, digits, "_.:-"), or `i`. */
function readName(xml: string, i: number): number {
  const first = xml.charCodeAt(i);
  if (!(isLetter(first) || first === 0x5f)) return i;
  let j = i + 1;
  for (;;) {
    const c = xml.charCodeAt(j);
    if (isLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2e || c === 0x3a || c === 0x2d) j++;
    else return j;
  }
}

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}
