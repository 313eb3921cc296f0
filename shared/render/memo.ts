/**
 * Values made on first use and kept by key: the renderer's cards, pills and why-lines, MIME header lines.
 * With a limit the memo is emptied when full: a day's values repeat, and refilling after a rare clear
 * costs less than an LRU's bookkeeping on every lookup.
 */
export class Memo<K, V> {
  private readonly values = new Map<K, V>();

  constructor(private readonly limit = Number.POSITIVE_INFINITY) {}

  /** The value for `key`, made by `make` the first time; nothing is kept when `make` throws. */
  get(key: K, make: () => V): V {
    let value = this.values.get(key);
    if (value === undefined) {
      value = make();
      if (this.values.size >= this.limit) this.values.clear();
      this.values.set(key, value);
    }
    return value;
  }
}
