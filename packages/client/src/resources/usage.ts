import type { PaginationQuery, UsageRecord } from '@eggapi/contracts';
import type { Transport } from '../internal/transport.js';
import type { RequestOptions } from '../options.js';
import type { PagePromise } from '../pagination.js';
import { listPages, ROUTES } from '../internal/routes.js';

/** `client.usage`: the usage records, one per billed task. */
export class Usage {
  readonly #transport: Transport;

  /** @internal Made by `EggAPI`. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * `GET /v1/usage`: one page of usage records (`page` default 1, `per_page` default 20, max
   * 100). Await it for the page, or `for await` it for every record of every page;
   * `.withResponse()` gives the first page with its `Response`.
   */
  list(query: Partial<PaginationQuery> = {}, options?: RequestOptions): PagePromise<UsageRecord> {
    return listPages(this.#transport, ROUTES.listUsage, query, options);
  }
}
