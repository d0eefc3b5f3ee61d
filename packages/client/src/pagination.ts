import type { Page, Pagination, PaginationQuery } from '@eggapi/contracts';
import { APIPromise, type WithResponse } from './api-promise.js';
import { EggAPIError } from './errors.js';

/** Fetches one page of a list, with the answer it came in. */
export type PageLoader<T> = (query: PaginationQuery) => Promise<WithResponse<Page<T>>>;

/**
 * One page of a list (`items`, `pagination` as the server sent them) that knows how to fetch the
 * next one. Iterating it with `for await` yields every item of this page and of all later pages,
 * fetching them one at a time as you go.
 */
export class ListPage<T> implements Page<T>, AsyncIterable<T> {
  /** The items of this page. */
  readonly items: T[];
  /** `page`, `per_page`, `total`, `total_pages` of this page. */
  readonly pagination: Pagination;
  readonly #load: PageLoader<T>;

  /** @internal Pages are made by `tasks.list()` and `usage.list()`. */
  constructor(page: Page<T>, load: PageLoader<T>) {
    this.items = page.items;
    this.pagination = page.pagination;
    this.#load = load;
  }

  /** Whether a later page exists. An empty page ends the list whatever `total_pages` says. */
  hasNextPage(): boolean {
    return this.items.length > 0 && this.pagination.page < this.pagination.total_pages;
  }

  /**
   * Fetches the next page with the same `per_page` (and the same request options).
   * @throws EggAPIError when there is no next page (check {@link hasNextPage} first), or the
   * request's own errors.
   */
  async getNextPage(): Promise<ListPage<T>> {
    if (!this.hasNextPage()) {
      throw new EggAPIError(
        `No next page: this is page ${this.pagination.page} of ${this.pagination.total_pages}.`,
      );
    }
    const query = { page: this.pagination.page + 1, per_page: this.pagination.per_page };
    return new ListPage((await this.#load(query)).data, this.#load);
  }

  /** This page and every later one, fetched lazily. */
  async *iterPages(): AsyncGenerator<ListPage<T>, void, undefined> {
    yield this;
    let next = this.hasNextPage() ? await this.getNextPage() : undefined;
    while (next) {
      yield next;
      next = next.hasNextPage() ? await next.getNextPage() : undefined;
    }
  }

  /** Every item of this page and of all later pages, fetched lazily. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.iterPages()) yield* page.items;
  }
}

/**
 * What `list()` returns: an {@link APIPromise} of the first {@link ListPage} that is also an
 * async iterable over all items of all pages. `await client.tasks.list()` gives the page;
 * `for await (const task of client.tasks.list())` walks every task; `.withResponse()` gives the
 * first page with its `Response`.
 */
export class PagePromise<T> extends APIPromise<ListPage<T>> implements AsyncIterable<T> {
  /** @internal */
  constructor(query: PaginationQuery, load: PageLoader<T>) {
    super(load(query).then(({ data, response }) => ({ data: new ListPage(data, load), response })));
  }

  /** Every item of every page from the first one requested. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    yield* await this;
  }
}
