/**
 * Templates: markup with named slots, split once into static parts, filled per message by string joins.
 * Only static markup (from fragments.tsx) is ever compiled; feed text only ever arrives as an already
 * escaped slot value, so it can never become markup or a slot itself.
 */

export interface Template {
  /** Static HTML between the slots: parts.length === slots.length + 1. */
  readonly parts: readonly string[];
  readonly slots: readonly string[];
}

const TOKEN = /\{\{pb:([a-zA-Z]+)\}\}/g;

/** The placeholder for a slot named `name` (letters only). */
export function slot(name: string): string {
  return `{{pb:${name}}}`;
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

/** A smaller template: the slots named in `values` filled in, the others kept as slots. */
export function partialFill(template: Template, values: Readonly<Record<string, string>>): Template {
  const parts: string[] = [template.parts[0] ?? ""];
  const slots: string[] = [];
  for (let i = 0; i < template.slots.length; i++) {
    const name = template.slots[i] ?? "";
    const after = template.parts[i + 1] ?? "";
    const value = values[name];
    if (value === undefined) {
      slots.push(name);
      parts.push(after);
    } else {
      parts[parts.length - 1] += value + after;
    }
  }
  return { parts, slots };
}

/**
 * A piece of a message part as UTF-8 bytes. Pieces that many readers share (cards, pills, why-lines,
 * the shell) are the same object in every message, so what is derived from one (its transfer
 * encoding, quoted-printable.ts) is kept on it and computed once.
 */
export interface Chunk {
  readonly bytes: Buffer;
  /** The chunks it was joined from (joinedChunk): what is derived from it is derived from them. */
  readonly parts: readonly Chunk[] | undefined;
  /** The bytes in quoted-printable, once a message has needed them. */
  quotedPrintable: Buffer | undefined;
}

/** A chunk of `text` in UTF-8. */
export function chunkOf(text: string): Chunk {
  return { bytes: Buffer.from(text, "utf8"), parts: undefined, quotedPrintable: undefined };
}

/**
 * One chunk standing for several in a row: their encodings joined (not redone), their bytes joined only
 * when something reads them (a preview): a message needs only the encoding.
 */
export function joinedChunk(parts: readonly Chunk[]): Chunk {
  return new JoinedChunk(parts);
}

class JoinedChunk implements Chunk {
  quotedPrintable: Buffer | undefined = undefined;
  private joined: Buffer | undefined = undefined;

  constructor(readonly parts: readonly Chunk[]) {}

  get bytes(): Buffer {
    this.joined ??= joinChunks(this.parts);
    return this.joined;
  }
}

/** The chunks' bytes joined. */
export function joinChunks(chunks: readonly Chunk[]): Buffer {
  return Buffer.concat(chunks.map((chunk) => chunk.bytes));
}

/** A template whose static parts are chunks: messages are assembled as chunks, never as one string. */
export interface ChunkTemplate {
  readonly parts: readonly Chunk[];
  readonly slots: readonly string[];
}

/** The template with its static parts encoded once. */
export function toChunks(template: Template): ChunkTemplate {
  return { parts: template.parts.map(chunkOf), slots: template.slots };
}

/** Appends the template's chunks to `out`, each slot replaced by its (already escaped) chunks. */
export function fillChunks(
  template: ChunkTemplate,
  values: Readonly<Record<string, Chunk | readonly Chunk[]>>,
  out: Chunk[],
): void {
  const { parts, slots } = template;
  out.push(parts[0] as Chunk);
  for (let i = 0; i < slots.length; i++) {
    const value = values[slots[i] as string];
    if (Array.isArray(value)) for (const chunk of value as readonly Chunk[]) out.push(chunk);
    else if (value) out.push(value as Chunk);
    out.push(parts[i + 1] as Chunk);
  }
}

/**
 * The template cut before slot `at`: the part before it, whose slots must all be among `before`, and
 * the rest, which starts with an empty static part. Throws when the template is not so shaped.
 */
export function splitBefore(
  template: ChunkTemplate,
  at: string,
  before: readonly string[],
): [ChunkTemplate, ChunkTemplate] {
  const cut = template.slots.indexOf(at);
  const head = template.slots.slice(0, Math.max(cut, 0));
  if (cut < 0 || head.some((slot) => !before.includes(slot))) {
    throw new Error(
      `template: expected only ${before.join(", ")} before {{${at}}}, got ${template.slots.join(", ")}`,
    );
  }
  return [
    { parts: template.parts.slice(0, cut + 1), slots: head },
    { parts: [chunkOf(""), ...template.parts.slice(cut + 1)], slots: template.slots.slice(cut) },
  ];
}
