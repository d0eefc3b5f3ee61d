import { DEFAULT_PAGE, DEFAULT_PER_PAGE, type Page, type PaginationQuery } from '@eggapi/contracts';
import type { RequestOptions } from '../options.js';
import { PagePromise } from '../pagination.js';
import type { EnvelopeSchema } from './response.js';
import { assertTaskId } from '../task-id.js';
import type { Transport } from './transport.js';

/**
 * The contract's path with `:id` filled in.
 * @throws InvalidArgumentError for an id that is not a task id (see `assertTaskId`)
 */
export function pathWithId(path: string, id: string): string {
  assertTaskId(id);
  return path.replace(':id', id);
}

/** What the client reads of a paginated route of the contract (`listTasks`, `listUsage`). */
interface ListRoute<T> {
  method: string;
  path: string;
  responses: { 200: EnvelopeSchema<Page<T>> };
}

/**
 * A paginated GET of `route` from `query` (the contract's defaults filled in), every page sent
 * with the same `options`.
 */
export function listPages<T>(
  transport: Transport,
  route: ListRoute<T>,
  query: Partial<PaginationQuery>,
  options: RequestOptions | undefined,
): PagePromise<T> {
  const first = { page: query.page ?? DEFAULT_PAGE, per_page: query.per_page ?? DEFAULT_PER_PAGE };
  return new PagePromise(first, (q) =>
    transport.request(
      {
        method: route.method,
        path: route.path,
        query: q,
        retry: 'idempotent',
        schema: route.responses[200],
      },
      options,
    ),
  );
}
