import type { Page, PaginationQuery } from '@eggapi/contracts';
import { paginationFor } from '@eggapi/contracts';

/**
 * Items kept per owner (API key) in insertion order, with a global cap that evicts the oldest
 * item first, and newest-first pagination. Lookups by id are O(1); eviction is amortised O(1).
 */
export class OwnedLog<T extends { id: string; owner: string }> {
  readonly #byId = new Map<string, T>();
  readonly #byOwner = new Map<string, { ids: string[]; head: number }>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.#byId.size;
  }

  add(item: T): void {
    this.#byId.set(item.id, item);
    let list = this.#byOwner.get(item.owner);
    if (!list) this.#byOwner.set(item.owner, (list = { ids: [], head: 0 }));
    list.ids.push(item.id);
    while (this.#byId.size > this.capacity) this.#evictOldest();
  }

  get(id: string): T | undefined {
    return this.#byId.get(id);
  }

  /** Newest first. */
  page(owner: string, query: PaginationQuery): Page<T> {
    const list = this.#byOwner.get(owner);
    const total = list ? list.ids.length - list.head : 0;
    const items: T[] = [];
    if (list) {
      const newest = list.ids.length - 1;
      const first = newest - (query.page - 1) * query.per_page;
      for (let i = first; i > first - query.per_page && i >= list.head; i--) {
        items.push(this.#byId.get(list.ids[i]!)!);
      }
    }
    return { items, pagination: paginationFor(total, query) };
  }

  clear(): void {
    this.#byId.clear();
    this.#byOwner.clear();
  }

  values(): IterableIterator<T> {
    return this.#byId.values();
  }

  #evictOldest(): void {
    const oldest = this.#byId.values().next().value as T;
    this.#byId.delete(oldest.id);
    const list = this.#byOwner.get(oldest.owner)!;
    // Insertion order is global, so the oldest item is also the first of its owner's list.
    list.head++;
    if (list.head === list.ids.length) this.#byOwner.delete(oldest.owner);
    else if (list.head > 1024 && list.head * 2 > list.ids.length) {
      list.ids = list.ids.slice(list.head);
      list.head = 0;
    }
  }
}
