/**
 * A least-recently-used map bounded by the total size of its values (`sizeOf`, 1 each by
 * default): a `Map` keeps insertion order, so its first key is the least recently used. A value
 * larger than the whole budget is not kept. Written here rather than taken from lru-cache: the
 * engine needs only this, and lru-cache's other features weigh on its browser bundle budget.
 */
export class LruMap<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #sizeOf: (value: V) => number;
  readonly #maxSize: number;
  #size = 0;

  constructor(maxSize: number, sizeOf: (value: V) => number = () => 1) {
    this.#maxSize = maxSize;
    this.#sizeOf = sizeOf;
  }

  /** The value of `key`, now the most recently used; `undefined` when absent. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** Keeps `value` under `key` as the most recently used, evicting the least recently used. */
  set(key: K, value: V): void {
    this.delete(key);
    const size = this.#sizeOf(value);
    if (size > this.#maxSize) return;
    this.#entries.set(key, value);
    this.#size += size;
    for (const oldest of this.#entries.keys()) {
      if (this.#size <= this.#maxSize) break;
      this.delete(oldest);
    }
  }

  delete(key: K): void {
    const value = this.#entries.get(key);
    if (value === undefined) return;
    this.#entries.delete(key);
    this.#size -= this.#sizeOf(value);
  }

  clear(): void {
    this.#entries.clear();
    this.#size = 0;
  }

  /** The total size of the values kept. */
  get size(): number {
    return this.#size;
  }
}
