import type { Page, PaginationQuery } from '@eggapi/contracts';
import { paginationFor } from '@eggapi/contracts';

/** Ids in insertion order whose oldest are dropped from the front (amortised O(1)). */
class IdList {
  ids: string[] = [];
  head = 0;

  get length(): number {
    return this.ids.length - this.head;
  }

  push(id: string): void {
    this.ids.push(id);
  }

  dropOldest(): void {
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.ids.length) {
      this.ids = this.ids.slice(this.head);
      this.head = 0;
    }
  }

  /** Newest first. */
  *newest(): Generator<string> {
    for (let i = this.ids.length - 1; i >= this.head; i--) yield this.ids[i]!;
  }

  /** The ids of a newest-first page. */
  page(query: PaginationQuery): string[] {
    const first = this.ids.length - 1 - (query.page - 1) * query.per_page;
    const page: string[] = [];
    for (let i = first; i > first - query.per_page && i >= this.head; i--) page.push(this.ids[i]!);
    return page;
  }
}

/**
 * Items kept per owner (API key) in insertion order, with a global cap that evicts the oldest
 * item first, and newest-first pagination (of one owner, or of all, filtered). Lookups by id are
 * O(1); eviction is amortised O(1).
 */
export class OwnedLog<T extends { id: string; owner: string }> {
  readonly #byId = new Map<string, T>();
  readonly #byOwner = new Map<string, IdList>();
  #all = new IdList();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.#byId.size;
  }

  add(item: T): void {
    this.#byId.set(item.id, item);
    let list = this.#byOwner.get(item.owner);
    if (!list) this.#byOwner.set(item.owner, (list = new IdList()));
    list.push(item.id);
    this.#all.push(item.id);
    while (this.#byId.size > this.capacity) this.#evictOldest();
  }

  get(id: string): T | undefined {
    return this.#byId.get(id);
  }

  /** The owner's items, newest first. */
  page(owner: string, query: PaginationQuery): Page<T> {
    const list = this.#byOwner.get(owner);
    const items = list ? list.page(query).map((id) => this.#byId.get(id)!) : [];
    return { items, pagination: paginationFor(list?.length ?? 0, query) };
  }

  /**
   * Every owner's items, newest first; with `matches`, only those it accepts (the total counts
   * them: one pass over the log).
   */
  pageAll(query: PaginationQuery, matches?: (item: T) => boolean): Page<T> {
    if (!matches) {
      const items = this.#all.page(query).map((id) => this.#byId.get(id)!);
      return { items, pagination: paginationFor(this.#all.length, query) };
    }
    const start = (query.page - 1) * query.per_page;
    const items: T[] = [];
    let total = 0;
    for (const id of this.#all.newest()) {
      const item = this.#byId.get(id)!;
      if (!matches(item)) continue;
      if (total >= start && items.length < query.per_page) items.push(item);
      total++;
    }
    return { items, pagination: paginationFor(total, query) };
  }

  clear(): void {
    this.#byId.clear();
    this.#byOwner.clear();
    this.#all = new IdList();
  }

  values(): IterableIterator<T> {
    return this.#byId.values();
  }

  #evictOldest(): void {
    const oldest = this.#byId.values().next().value as T;
    this.#byId.delete(oldest.id);
    this.#all.dropOldest();
    const list = this.#byOwner.get(oldest.owner)!;
    // Insertion order is global, so the oldest item is also the first of its owner's list.
    list.dropOldest();
    if (list.length === 0) this.#byOwner.delete(oldest.owner);
  }
}
