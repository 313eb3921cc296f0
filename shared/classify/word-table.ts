/**
 * Words found in place: a text's words are runs of [a-z0-9] in its lower-cased form (tokenize.ts,
 * words()), and a reader looks each one up. Cutting each run out as a string and hashing it again in a
 * Map was most of reading a paper; WordTable is handed the run's hash, made while scanning, and compares
 * the run with its own copy of the stored words' characters, so a word already seen costs no string.
 */

/** FNV-1a over UTF-16 code units: cheap per character, and its low bits spread well enough for a mask. */
export const WORD_HASH_SEED = 0x811c9dc5 | 0;
const WORD_HASH_PRIME = 0x01000193;

/** The hash of a word after one more character (start from WORD_HASH_SEED). */
export function wordHashStep(hash: number, code: number): number {
  return Math.imul(hash ^ code, WORD_HASH_PRIME);
}

/** The hash of text[start .. end), as a scan with wordHashStep gives it. */
export function wordHash(text: string, start = 0, end = text.length): number {
  let h = WORD_HASH_SEED;
  for (let i = start; i < end; i++) h = wordHashStep(h, text.charCodeAt(i));
  return h;
}

/** True for the characters of a word: a–z and 0–9 (words() matches /[a-z0-9]+/ on lower-cased text). */
export function isWordCode(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
}

/** The table is kept at most half full, so that probes stay short. */
const MAX_LOAD = 0.5;
/**
 * Small to start with (64 KB of slots): a reader made to count one paper for another index (countsIn)
 * needs few words; a classifier's reader grows to ~65k slots (1 MB) for 2,000 papers' ~18k words.
 */
const INITIAL_SLOTS = 1 << 12;
const INITIAL_CHARS = 1 << 14;

/** Int32s per slot: the word's hash, its entry + 1 (0 = empty slot), where its characters start, how many. */
const SLOT_SIZE = 4;

/**
 * Open-addressing hash table from words to values, looked up by a piece of a text. Laid out for the
 * CPU cache (a paper's few hundred lookups land all over a table of tens of thousands of words): a slot
 * holds the hash, so a probe past another word reads nothing else, and where the word's characters
 * are, so a hit reads them and the value and nothing else.
 */
export class WordTable<T> {
  private readonly values: T[] = [];
  private slots = new Int32Array(SLOT_SIZE * INITIAL_SLOTS);
  /** The stored words' characters, one after the other. */
  private chars = new Uint16Array(INITIAL_CHARS);
  private charCount = 0;

  /** Number of words stored. */
  get size(): number {
    return this.values.length;
  }

  /** The value of the word text[start .. end) whose hash is `hash` (wordHash), or undefined. */
  get(text: string, start: number, end: number, hash: number): T | undefined {
    const { slots, chars } = this;
    const mask = slots.length / SLOT_SIZE - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = SLOT_SIZE * slot;
      const entry = (slots[at + 1] as number) - 1;
      if (entry < 0) return undefined;
      if (slots[at] === hash && slots[at + 3] === length) {
        const from = slots[at + 2] as number;
        let i = 0;
        while (i < length && chars[from + i] === text.charCodeAt(start + i)) i++;
        if (i === length) return this.values[entry];
      }
    }
  }

  /** Stores a word not stored yet, with its hash (wordHash). */
  add(word: string, hash: number, value: T): void {
    const entry = this.values.length;
    if ((entry + 1) / (this.slots.length / SLOT_SIZE) > MAX_LOAD) this.grow();
    this.values.push(value);
    this.place(hash, entry, this.copyChars(word), word.length);
  }

  /** Appends the word's characters to `chars`; returns where they start. */
  private copyChars(word: string): number {
    if (this.charCount + word.length > this.chars.length) {
      const more = new Uint16Array(2 * Math.max(this.chars.length, word.length));
      more.set(this.chars);
      this.chars = more;
    }
    const from = this.charCount;
    for (let i = 0; i < word.length; i++) this.chars[from + i] = word.charCodeAt(i);
    this.charCount += word.length;
    return from;
  }

  private place(hash: number, entry: number, from: number, length: number): void {
    const { slots } = this;
    const mask = slots.length / SLOT_SIZE - 1;
    let slot = hash & mask;
    while (slots[SLOT_SIZE * slot + 1] !== 0) slot = (slot + 1) & mask;
    const at = SLOT_SIZE * slot;
    slots[at] = hash;
    slots[at + 1] = entry + 1;
    slots[at + 2] = from;
    slots[at + 3] = length;
  }

  /** Twice the slots, every word placed again. */
  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(2 * old.length);
    for (let at = 0; at < old.length; at += SLOT_SIZE) {
      if (old[at + 1] !== 0)
        this.place(
          old[at] as number,
          (old[at + 1] as number) - 1,
          old[at + 2] as number,
          old[at + 3] as number,
        );
    }
  }
}
