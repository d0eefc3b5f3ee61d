import * as z from 'zod/mini';
import { contract, type RouteName } from './contract.js';
import { ERROR_CODES, EXTENSION_ERROR_CODE_STATUS } from './schemas/error.js';
import { TASK_STATUSES, TASK_TYPES } from './schemas/task.js';
import { WebhookEventSchema } from './schemas/webhook.js';

/** One way an exchange differs from the contract: where (a dotted path, `''` for the whole) and how. */
export interface ContractIssue {
  path: string;
  message: string;
}

/** A request as it went to the API (or would). */
export interface ApiRequest {
  method: string;
  /** The path without the query, e.g. `/v1/tasks/gen_abc`. */
  path: string;
  /** The query string without `?` (empty for none). */
  query?: string;
  /** Header names in any case. */
  headers?: Record<string, string | undefined>;
  /** The parsed JSON body, `undefined` for none. */
  body?: unknown;
}

/** An answer of the API, to the request it answered. */
export interface ApiResponse {
  status: number;
  /** The parsed JSON body; `undefined` when the body was not JSON (an issue itself). */
  body: unknown;
}

interface Route {
  method: string;
  path: string;
  pathParams?: z.ZodMiniType;
  query?: z.ZodMiniType;
  body?: z.ZodMiniType;
  responses: Record<number, z.ZodMiniType>;
}

/** The contract's route that `method` and `path` name, with its path parameters. */
export function matchRoute(
  method: string,
  path: string,
): { name: RouteName; params: Record<string, string> } | undefined {
  const segments = path.replace(/\/+$/, '').split('/');
  for (const [name, route] of Object.entries(contract) as [RouteName, Route][]) {
    if (route.method !== method.toUpperCase()) continue;
    const pattern = route.path.split('/');
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const same = pattern.every((part, i) => {
      if (!part.startsWith(':')) return part === segments[i];
      params[part.slice(1)] = safeDecode(segments[i]!);
      return segments[i] !== '';
    });
    if (same) return { name, params };
  }
  return undefined;
}

/**
 * How a request differs from the contract: an unknown route, a missing or malformed
 * `Authorization`, path parameters, query or body the route's schemas refuse. Empty when it
 * conforms.
 */
export function checkApiRequest(request: ApiRequest): ContractIssue[] {
  const matched = matchRoute(request.method, request.path);
  if (!matched) {
    return [{ path: '', message: `no route ${request.method.toUpperCase()} ${request.path}` }];
  }
  const route = contract[matched.name] as unknown as Route;
  const issues: ContractIssue[] = [];
  const authorization = headerOf(request.headers, 'authorization');
  if (authorization === undefined) {
    issues.push({ path: 'headers.authorization', message: 'missing' });
  } else if (!/^Bearer \S+$/i.test(authorization)) {
    issues.push({ path: 'headers.authorization', message: 'must be "Bearer <api key>"' });
  }
  if (route.pathParams) issues.push(...schemaIssues(route.pathParams, matched.params, 'params'));
  if (route.query) {
    const query = Object.fromEntries(new URLSearchParams(request.query ?? ''));
    issues.push(...schemaIssues(route.query, query, 'query'));
  }
  if (route.body) issues.push(...schemaIssues(route.body, request.body, 'body'));
  return issues;
}

/**
 * How an answer differs from the contract for the request it answered: a status the route does
 * not answer, a body that is not JSON or that the status's schema refuses, and values outside
 * the documented ones (a task status, a task type, an error code, a webhook event) — which the
 * tolerant schemas let through for readers but the contract does not document. Empty when it
 * conforms.
 */
export function checkApiResponse(request: ApiRequest, response: ApiResponse): ContractIssue[] {
  const matched = matchRoute(request.method, request.path);
  if (!matched) return [];
  const route = contract[matched.name] as unknown as Route;
  const schema = route.responses[response.status];
  if (!schema) {
    const documented = Object.keys(route.responses).join(', ');
    return [
      {
        path: 'status',
        message: `${response.status} is not an answer of ${route.method} ${route.path} (documented: ${documented})`,
      },
    ];
  }
  if (response.body === undefined) return [{ path: 'body', message: 'not JSON' }];
  return [...schemaIssues(schema, response.body, 'body'), ...undocumentedValues(response.body)];
}

/** How a webhook body differs from the contract's events (`task.completed`, `task.failed`). */
export function checkWebhookBody(body: unknown): ContractIssue[] {
  return schemaIssues(WebhookEventSchema, body, 'body');
}

const KNOWN_ERROR_CODES: readonly string[] = [
  ...ERROR_CODES,
  ...Object.keys(EXTENSION_ERROR_CODE_STATUS),
];

/** Task statuses, task types and error codes outside the documented values. */
function undocumentedValues(body: unknown): ContractIssue[] {
  const issues: ContractIssue[] = [];
  const envelope = body as { data?: unknown; error?: { code?: unknown } | null } | null;
  const code = envelope?.error?.code;
  if (typeof code === 'string' && !KNOWN_ERROR_CODES.includes(code)) {
    issues.push({
      path: 'body.error.code',
      message: `undocumented error code ${JSON.stringify(code)}`,
    });
  }
  const data = envelope?.data as { items?: unknown } | null | undefined;
  const tasks: [string, unknown][] = Array.isArray(data?.items)
    ? data.items.map((item, i) => [`body.data.items.${i}`, item])
    : [['body.data', data]];
  for (const [at, task] of tasks) {
    const { status, type } = (task ?? {}) as { status?: unknown; type?: unknown };
    if (typeof status === 'string' && !(TASK_STATUSES as readonly string[]).includes(status)) {
      issues.push({
        path: `${at}.status`,
        message: `undocumented status ${JSON.stringify(status)}`,
      });
    }
    if (typeof type === 'string' && !(TASK_TYPES as readonly string[]).includes(type)) {
      issues.push({ path: `${at}.type`, message: `undocumented type ${JSON.stringify(type)}` });
    }
  }
  return issues;
}

function schemaIssues(schema: z.ZodMiniType, value: unknown, root: string): ContractIssue[] {
  const result = z.safeParse(schema, value);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({
    path: [root, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

function headerOf(
  headers: Record<string, string | undefined> | undefined,
  name: string,
): string | undefined {
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
