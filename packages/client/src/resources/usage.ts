import { contract, type PaginationQuery, type UsageRecord } from '@eggapi/contracts';
import type { Transport } from '../internal/transport.js';
import type { RequestOptions } from '../options.js';
import { PagePromise } from '../pagination.js';
import { listQuery } from '../internal/paths.js';

/** `client.usage`: the usage records, one per billed task. */
export class Usage {
  readonly #transport: Transport;

  /** @internal Made by `EggAPI`. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * `GET /v1/usage`: one page of usage records (`page` default 1, `per_page` default 20, max
   * 100). Await it for the page, or `for await` it for every record of every page.
   */
  list(query: Partial<PaginationQuery> = {}, options?: RequestOptions): PagePromise<UsageRecord> {
    return new PagePromise(listQuery(query), (q) =>
      this.#transport.request(
        {
          method: contract.listUsage.method,
          path: contract.listUsage.path,
          query: q,
          retry: 'idempotent',
          schema: contract.listUsage.responses[200],
        },
        options,
      ),
    );
  }
}
