import { bodyErrors } from '../protocol/answers.js';
import { requestValidationError } from '../protocol/request-validation.js';
import { allowedMethods, noRoute } from '../protocol/routes.js';
import type { RequestFacts, Routes } from '../pipeline/types.js';
import { readJson } from './read-json.js';
import { validateIfSchema, validateMembers } from './validate.js';

/** A route's answer as the fetch transport renders it. */
export interface RoutedAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A route of a contract as this router reads it (a ts-rest route, by its shape). */
interface Route {
  method: string;
  path: string;
  pathParams?: unknown;
  query?: unknown;
  body?: unknown;
  headers?: unknown;
  responses: Record<number, unknown>;
}

interface CompiledRoute {
  name: string;
  route: Route;
  pattern: RegExp;
  params: string[];
}

export interface ContractServeOptions {
  /** Largest accepted body of a route that takes one, in bytes. */
  maxBodyBytes: number;
  /** Check every answer against the route's contract (JSON answers). */
  validateResponses: boolean;
}

/**
 * The routes of a ts-rest contract over Fetch API requests, matched as express matches them
 * (case-insensitive, one trailing slash allowed, `HEAD` as `GET`), their requests read and
 * validated with the contract's schemas as ts-rest's express adapter does (the same inputs:
 * lower-case headers, repeated query keys as arrays; VALIDATION_ERROR naming the body's, the
 * query's, the path's and the headers' problems), and the answers checked against the contract
 * when asked. Resolves `undefined` for a path the contract does not have; a path it has on
 * other methods is a 404 naming them in `Allow`.
 */
export function serveContract<C extends object>(
  contract: C,
  routes: Routes<C>,
  options: ContractServeOptions,
): (
  request: Request,
  facts: RequestFacts & { apiKey: string },
  url: URL,
) => Promise<RoutedAnswer | undefined> {
  const table = compile(contract);
  const allow = allowedMethods(contract);
  const handlers = routes as Record<
    string,
    (input: unknown, facts: unknown) => Promise<RoutedAnswer>
  >;
  return async (request, facts, url) => {
    const method = facts.method === 'HEAD' ? 'GET' : facts.method;
    let known: CompiledRoute | undefined;
    for (const entry of table) {
      const match = entry.pattern.exec(facts.path);
      if (!match) continue;
      known ??= entry;
      if (entry.route.method !== method) continue;
      const params = paramsOf(entry, match);
      const body =
        'body' in entry.route ? await readJson(request, options.maxBodyBytes) : undefined;
      const input = validated(entry.route, request, url, params, body);
      const answer = await handlers[entry.name]!(input, facts);
      if (options.validateResponses && !(answer.body instanceof ReadableStream)) {
        checkAnswer(entry, answer);
      }
      return answer;
    }
    if (known) throw noRoute(facts.method, facts.path, allow.get(known.route.path));
    return undefined;
  };
}

/** Each route's path as a pattern: `/v1/tasks/:id` → `^/v1/tasks/([^/]+)/?$`, case-insensitive. */
function compile(contract: object): CompiledRoute[] {
  return Object.entries(contract).flatMap(([name, value]: [string, unknown]) => {
    if (!isRoute(value)) return [];
    const route = value;
    const params: string[] = [];
    const source = route.path
      .split('/')
      .map((part) => {
        if (!part.startsWith(':')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        params.push(part.slice(1));
        return '([^/]+)';
      })
      .join('/');
    return [{ name, route, params, pattern: new RegExp(`^${source}/?$`, 'i') }];
  });
}

function paramsOf(entry: CompiledRoute, match: RegExpExecArray): Record<string, string> {
  try {
    return Object.fromEntries(
      entry.params.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]),
    );
  } catch {
    throw bodyErrors.badPath();
  }
}

/** A route's request validated with its schemas (Standard Schema), or a VALIDATION_ERROR. */
function validated(
  route: Route,
  request: Request,
  url: URL,
  params: Record<string, string>,
  body: unknown,
) {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of url.searchParams) {
    const seen = query[name];
    query[name] = seen === undefined ? value : [...[seen].flat(), value];
  }
  const headers = Object.fromEntries(request.headers);
  const bodyResult = validateIfSchema(body, route.body);
  const queryResult = validateIfSchema(query, route.query);
  const paramsResult = validateIfSchema(params, route.pathParams);
  const headersResult = validateMembers(headers, route.headers);
  if (bodyResult.error || queryResult.error || paramsResult.error || headersResult.error) {
    throw requestValidationError({
      body: bodyResult.error,
      query: queryResult.error,
      pathParams: paramsResult.error,
      headers: headersResult.error,
    });
  }
  return {
    params: paramsResult.value,
    body: bodyResult.value,
    query: queryResult.value,
    headers: headersResult.value,
  };
}

function isRoute(value: unknown): value is Route {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Route).method === 'string' &&
    typeof (value as Route).path === 'string' &&
    typeof (value as Route).responses === 'object'
  );
}

/**
 * An answer checked against its route's schema for its status (`validateResponses`), as
 * ts-rest's `validateResponse` checks it: a status the route does not declare, or a body its
 * schema refuses, is the mock's own bug (500).
 * @throws Error naming the route, the status and the problems
 */
function checkAnswer({ name, route }: CompiledRoute, answer: RoutedAnswer): void {
  if (!(answer.status in route.responses)) {
    throw new Error(`${name} answered ${answer.status}, a status its contract does not declare`);
  }
  const result = validateIfSchema(answer.body, route.responses[answer.status]);
  if (result.error) {
    const problems = result.error.issues.map((issue) => issue.message).join('; ');
    throw new Error(
      `${name} answered ${answer.status} with a body its contract refuses: ${problems}`,
    );
  }
}
