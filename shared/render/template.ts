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

/** A template whose static parts are UTF-8 bytes: messages are assembled as chunks, never as one string. */
export interface ByteTemplate {
  readonly parts: readonly Buffer[];
  readonly slots: readonly string[];
}

/** The template with its static parts encoded once. */
export function toBytes(template: Template): ByteTemplate {
  return { parts: template.parts.map((part) => Buffer.from(part, "utf8")), slots: template.slots };
}

/** Appends the template's chunks to `out`, each slot replaced by its (already escaped) bytes. */
export function fillBytes(
  template: ByteTemplate,
  values: Readonly<Record<string, Buffer | readonly Buffer[]>>,
  out: Buffer[],
): void {
  const { parts, slots } = template;
  out.push(parts[0] as Buffer);
  for (let i = 0; i < slots.length; i++) {
    const value = values[slots[i] as string];
    if (Buffer.isBuffer(value)) out.push(value);
    else if (value) for (const chunk of value) out.push(chunk);
    out.push(parts[i + 1] as Buffer);
  }
}
