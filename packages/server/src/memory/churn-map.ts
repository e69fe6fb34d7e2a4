/**
 * Writes (new keys and deletions) after which a busy collection is replaced by a fresh copy: this
 * many, plus twice its size, so that the copy costs at most half an entry per write.
 */
const RENEW_AFTER_WRITES = 64;

/**
 * A Map for entries that come and go by the thousand: a job per exec, an ack per message.
 *
 * V8 (Node 20) gives a Map a new hash table every few dozen insertions when entries are deleted as
 * fast as they are added, and a Map that has lived through two young-generation collections gets its
 * new tables in the old generation. A replaced table is not cleared: it keeps every entry it held,
 * and until the next full collection the young-generation collector counts it as live. So every entry
 * that ever passed through such a Map (a job with its record and its promises, a response with its
 * request and headers) outlives two young collections and is copied into the old generation. On the
 * exec path that was most of what the server promoted (docs/benchmarks.md, session 17).
 *
 * This one is replaced by a copy of itself after `64 + 2 × size` writes, so while it is busy it stays
 * young and its old tables die young. Lookups cost one more field load than a Map's. Iterating is safe
 * while writing: the copy waits until every iterator has run to its end or been left by `break`
 * (an iterator abandoned half-way keeps it a plain Map for good: use `first()` for one entry).
 */
export class ChurnMap<K, V> implements Iterable<[K, V]> {
  #map = new Map<K, V>();
  #writes = 0;
  #iterating = 0;

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  has(key: K): boolean {
    return this.#map.has(key);
  }

  set(key: K, value: V): this {
    const before = this.#map.size;
    this.#map.set(key, value);
    if (this.#map.size !== before) this.#wrote();
    return this;
  }

  delete(key: K): boolean {
    if (!this.#map.delete(key)) return false;
    this.#wrote();
    return true;
  }

  clear(): void {
    // A loop running over it sees the clear, as over a Map; otherwise a fresh Map (a young one).
    if (this.#iterating > 0) this.#map.clear();
    else this.#map = new Map();
    this.#writes = 0;
  }

  /** The entry set first of those still here (insertion order, as a Map's). */
  first(): [K, V] | undefined {
    for (const entry of this.#map) return entry;
    return undefined;
  }

  entries(): IterableIterator<[K, V]> {
    return this.#guarded((map) => map.entries());
  }

  keys(): IterableIterator<K> {
    return this.#guarded((map) => map.keys());
  }

  values(): IterableIterator<V> {
    return this.#guarded((map) => map.values());
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  forEach(each: (value: V, key: K) => void): void {
    for (const [key, value] of this.entries()) each(value, key);
  }

  /** One of the map's own iterators, with the copy held off until it is done (or left by `break`). */
  *#guarded<T>(iterate: (map: Map<K, V>) => IterableIterator<T>): IterableIterator<T> {
    this.#iterating++;
    try {
      yield* iterate(this.#map);
    } finally {
      this.#iterating--;
    }
  }

  #wrote(): void {
    if (++this.#writes < RENEW_AFTER_WRITES + 2 * this.#map.size || this.#iterating > 0) return;
    this.#writes = 0;
    this.#map = new Map(this.#map);
  }
}

/** A Set for members that come and go by the thousand (see ChurnMap for why). */
export class ChurnSet<T> implements Iterable<T> {
  readonly #map = new ChurnMap<T, true>();

  get size(): number {
    return this.#map.size;
  }

  has(value: T): boolean {
    return this.#map.has(value);
  }

  add(value: T): this {
    this.#map.set(value, true);
    return this;
  }

  delete(value: T): boolean {
    return this.#map.delete(value);
  }

  clear(): void {
    this.#map.clear();
  }

  values(): IterableIterator<T> {
    return this.#map.keys();
  }

  [Symbol.iterator](): IterableIterator<T> {
    return this.#map.keys();
  }
}
