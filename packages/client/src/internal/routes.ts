import {
  DEFAULT_PAGE,
  DEFAULT_PER_PAGE,
  TaskEnvelopeSchema,
  TaskPageEnvelopeSchema,
  UsagePageEnvelopeSchema,
  type Contract,
  type Page,
  type PaginationQuery,
} from '@eggapi/contracts';
import type { RequestOptions } from '../options.js';
import { PagePromise } from '../pagination.js';
import type { EnvelopeSchema } from './response.js';
import { assertTaskId } from '../task-id.js';
import type { Transport } from './transport.js';

/** What the client needs of a route of the contract: its method, path and success answer. */
type RouteData<R extends Contract[keyof Contract], Status extends keyof R['responses']> = {
  method: R['method'];
  path: R['path'];
  responses: { [S in Status]: R['responses'][S] };
};

/**
 * The contract's routes as plain data: the client needs their method, path and success schema,
 * not ts-rest's `initContract` at run time (about 13 KB gzip in a browser). Typed against the
 * contract, so a route that changes there does not compile here until this table follows.
 */
export const ROUTES = {
  generate: {
    method: 'POST',
    path: '/v1/generate',
    responses: { 202: TaskEnvelopeSchema },
  },
  getTask: { method: 'GET', path: '/v1/tasks/:id', responses: { 200: TaskEnvelopeSchema } },
  listTasks: { method: 'GET', path: '/v1/tasks', responses: { 200: TaskPageEnvelopeSchema } },
  listUsage: { method: 'GET', path: '/v1/usage', responses: { 200: UsagePageEnvelopeSchema } },
} as const satisfies {
  generate: RouteData<Contract['generate'], 202>;
  getTask: RouteData<Contract['getTask'], 200>;
  listTasks: RouteData<Contract['listTasks'], 200>;
  listUsage: RouteData<Contract['listUsage'], 200>;
};

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
