import * as z from 'zod/mini';
import { ErrorEnvelopeSchema } from './schemas/envelope.js';
import { GenerateRequestSchema } from './schemas/generate.js';
import {
  AuthorizationHeaderSchema,
  IDEMPOTENCY_KEY_HEADER,
  IdempotencyKeySchema,
} from './schemas/headers.js';
import { PaginationQuerySchema } from './schemas/pagination.js';
import {
  TaskEnvelopeSchema,
  TaskPageEnvelopeSchema,
  UsagePageEnvelopeSchema,
} from './schemas/responses.js';
import { TaskIdParamsSchema } from './schemas/task.js';

const routes = {
  generate: {
    method: 'POST',
    path: '/v1/generate',
    summary: 'Create an image task',
    description:
      'Creates a task at `pending` and answers 202 at once; workers move it to `processing` and ' +
      'then `completed` or `failed`.',
    headers: { [IDEMPOTENCY_KEY_HEADER]: z.optional(IdempotencyKeySchema) },
    body: GenerateRequestSchema,
    responses: {
      202: TaskEnvelopeSchema,
      400: ErrorEnvelopeSchema,
      403: ErrorEnvelopeSchema,
      409: ErrorEnvelopeSchema,
    },
  },
  getTask: {
    method: 'GET',
    path: '/v1/tasks/:id',
    summary: 'Poll one task',
    description:
      'Answers the task as it is now: poll until `completed` or `failed` (or receive the webhook). ' +
      'An id that names no task of this account is 404 `NOT_FOUND`.',
    pathParams: TaskIdParamsSchema,
    responses: {
      200: TaskEnvelopeSchema,
      404: ErrorEnvelopeSchema,
    },
  },
  listTasks: {
    method: 'GET',
    path: '/v1/tasks',
    summary: 'List tasks, newest first',
    description: "One page of the account's tasks, newest first, with the page counts.",
    query: PaginationQuerySchema,
    responses: {
      200: TaskPageEnvelopeSchema,
      400: ErrorEnvelopeSchema,
    },
  },
  listUsage: {
    method: 'GET',
    path: '/v1/usage',
    summary: 'List usage records, one per billed task',
    description:
      'One page of usage records, newest first: one per task that was billed, with its cost.',
    query: PaginationQuerySchema,
    responses: {
      200: UsagePageEnvelopeSchema,
      400: ErrorEnvelopeSchema,
    },
  },
} as const;

/** What every route shares: the key header, strict statuses, and the errors any route answers. */
const SHARED = {
  headers: { authorization: AuthorizationHeaderSchema },
  responses: {
    401: ErrorEnvelopeSchema,
    429: ErrorEnvelopeSchema,
    500: ErrorEnvelopeSchema,
    502: ErrorEnvelopeSchema,
    503: ErrorEnvelopeSchema,
  },
} as const;

type Routes = typeof routes;
type WithShared<R> = Omit<R, 'headers' | 'responses'> & {
  headers: (typeof SHARED)['headers'] & ('headers' extends keyof R ? R['headers'] : unknown);
  responses: R extends { responses: infer Responses }
    ? Responses & (typeof SHARED)['responses']
    : never;
  strictStatusCodes: true;
};

/**
 * The EggAPI HTTP contract in ts-rest's shape, as plain data (what `initContract().router` with
 * `baseHeaders`, `commonResponses` and `strictStatusCodes` makes, without loading ts-rest where
 * it runs). Servers implement it with `@ts-rest/express`, clients read their types from it; both
 * fail to compile when they drift from it.
 *
 * Every route answers the error envelope for 401 (missing or invalid key), 429 (rate limited),
 * 500, 502 and 503; each route adds its own documented errors.
 */
export const contract = Object.fromEntries(
  Object.entries(routes).map(([name, route]) => [
    name,
    {
      ...route,
      headers: { ...SHARED.headers, ...('headers' in route ? route.headers : {}) },
      responses: { ...SHARED.responses, ...route.responses },
      strictStatusCodes: true,
    },
  ]),
) as { [K in keyof Routes]: WithShared<Routes[K]> };

/** The contract's type, for `initServer().router<Contract>` and `initClient<Contract>`. */
export type Contract = typeof contract;
/** The names of the contract's routes (`generate`, `getTask`, `listTasks`, `listUsage`). */
export type RouteName = keyof Contract;
