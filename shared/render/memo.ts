/**
 * Values made on first use and kept by key: the renderer's cards, pills and why-lines, MIME header lines.
 * With a limit the memo is emptied when full: a day's values repeat, and refilling after a rare clear
 * costs less than an LRU's bookkeeping on every lookup.
 */
export class Memo<K, V> {
  private readonly values = new Map<K, V>();

  constructor(private readonly limit = Number.POSITIVE_INFINITY) {}

  /**
   * The value for `key`, made by `make(key)` the first time; nothing is kept when `make` throws. In a
   * hot path pass a `make` made once, not a new closure per call.
   */
  get(key: K, make: (key: K) => V): V {
    let value = this.values.get(key);
    if (value === undefined) {
      value = make(key);
      if (this.values.size >= this.limit) this.values.clear();
      this.values.set(key, value);
    }
    return value;
  }
}

/** A place in a PathMemo: reached by a path of keys, it may hold a value. */
export class PathNode<V> {
  children: Map<unknown, PathNode<V>> | undefined = undefined;
  value: V | undefined = undefined;
}

/**
 * A Memo whose key is a path of several keys (each compared as a Map key: strings by value, objects by
 * identity), walked one step at a time. A message's pieces are keyed by a paper, a why-line and a list of
 * topics; walking them costs a few lookups of strings whose hashes are already known, where joining them
 * into one key string cost an allocation and a hash per piece (10,000 readers × 11 papers a run).
 */
export class PathMemo<V> {
  private root = new PathNode<V>();
  private values = 0;

  constructor(private readonly limit = Number.POSITIVE_INFINITY) {}

  /** Where every walk starts; a full memo is emptied here, so it never changes under a walk. */
  start(): PathNode<V> {
    if (this.values >= this.limit) {
      this.root = new PathNode<V>();
      this.values = 0;
    }
    return this.root;
  }

  /** One step down the path. */
  step(node: PathNode<V>, key: unknown): PathNode<V> {
    let next = node.children?.get(key);
    if (next === undefined) {
      next = new PathNode<V>();
      node.children ??= new Map();
      node.children.set(key, next);
    }
    return next;
  }

  /**
   * The value at the end of a walk, made by `make` the first time; nothing is kept when `make` throws.
   * In a hot path read `node.value` first and call this only when it is undefined (no closure per hit).
   */
  value(node: PathNode<V>, make: () => V): V {
    let value = node.value;
    if (value === undefined) {
      value = make();
      node.value = value;
      this.values += 1;
    }
    return value;
  }
}
