import {
  contract,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  MOCK_FAULT_INJECTED_HEADER,
} from '@eggapi/contracts';
import type { GenerateRequest, PaginationQuery } from '@eggapi/contracts';
import { validateIfSchema, validateMultiSchemaObject, validateResponse } from '@ts-rest/core';
import type { AppRoute } from '@ts-rest/core';
import type { MockEngine } from '../engine/engine.js';
import { validationError } from '../engine/errors.js';
import { faultError, type FaultRequest } from '../engine/faults.js';
import { FAULT_HEADER, SCENARIO_HEADER, type FaultSpec } from '../engine/scenarios.js';
import { detailsOf } from '../engine/validation.js';
import { requestValidationError } from '../protocol/request-validation.js';
import { allowedMethods, noRoute } from '../protocol/routes.js';
import { readJson } from './read-json.js';

/** What a `/v1` route answers: a status, a JSON body, headers of its own. */
export interface JsonAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** One `/v1` request as the routes read it. */
export interface V1Request {
  request: Request;
  /** The path below the base URL, e.g. `/v1/tasks/gen_abc`. */
  path: string;
  url: URL;
  /** Headers of the answer, whatever it is (the fault marker goes here). */
  answerHeaders: Headers;
}

export interface V1Options {
  maxBodyBytes: number;
  validateResponses: boolean;
  /** The base of image links. */
  baseUrl: string;
}

/** Thrown by a `reset` fault: the transport drops the request (a network error). */
export class DropConnection extends Error {
  override name = 'DropConnection';
}

/** Every request through the handlers counts as one client for the rate limit (there is no IP). */
export const CLIENT = 'msw';
const ALLOW = allowedMethods(contract);

/** `/v1/tasks/:id` and the contract's other paths, case-insensitive, one trailing slash allowed. */
const TASK_PATH = /^\/v1\/tasks\/([^/]+)\/?$/i;
const PATHS = [...ALLOW.keys()].filter((path) => !path.includes(':'));

/**
 * The `/v1` API over the engine, as the HTTP server answers it: the guards (rate limit, queued
 * faults, the API key, then the fault header), request validation with the contract's schemas
 * through ts-rest's own validators, one engine call, the answer (checked against the contract
 * when `validateResponses` is on). Errors are thrown as engine errors, for the caller to render.
 */
export async function answerV1(
  engine: MockEngine,
  v1: V1Request,
  options: V1Options,
): Promise<JsonAnswer> {
  const apiKey = await guard(engine, v1);
  const { request, path } = v1;
  const method = request.method.toUpperCase();
  const read = method === 'GET' || method === 'HEAD';
  const taskId = TASK_PATH.exec(path)?.[1];
  if (taskId !== undefined) {
    if (!read) throw noRoute(request.method, path, ALLOW.get(contract.getTask.path));
    const params = contract.getTask.pathParams.safeParse({ id: decodeURIComponent(taskId) });
    if (!params.success) throw validationError(detailsOf(params.error));
    const task = await engine.getTask(apiKey, params.data.id, options.baseUrl);
    return checked(contract.getTask, 200, { data: task, error: null }, options);
  }
  const known = PATHS.find((p) => p.toLowerCase() === path.replace(/(.)\/$/, '$1').toLowerCase());
  if (known === contract.generate.path && method === 'POST') {
    const body = await readJson(request, options.maxBodyBytes);
    const valid = validated(contract.generate, v1, body);
    const { task, replayed } = await engine.createTask({
      apiKey,
      request: valid.body as GenerateRequest,
      scenario: request.headers.get(SCENARIO_HEADER) ?? undefined,
      idempotencyKey: request.headers.get(IDEMPOTENCY_KEY_HEADER) ?? undefined,
      baseUrl: options.baseUrl,
    });
    const answer = checked(contract.generate, 202, { data: task, error: null }, options);
    return replayed ? { ...answer, headers: { [IDEMPOTENT_REPLAYED_HEADER]: 'true' } } : answer;
  }
  if (known === contract.listTasks.path && read) {
    const query = validated(contract.listTasks, v1).query as PaginationQuery;
    const page = await engine.listTasks(apiKey, query, options.baseUrl);
    return checked(contract.listTasks, 200, { data: page, error: null }, options);
  }
  if (known === contract.listUsage.path && read) {
    const query = validated(contract.listUsage, v1).query as PaginationQuery;
    const page = await engine.listUsage(apiKey, query);
    return checked(contract.listUsage, 200, { data: page, error: null }, options);
  }
  throw noRoute(request.method, path, known && ALLOW.get(known));
}

/** The guards of every `/v1` request, in the HTTP server's order; resolves with the API key. */
async function guard(engine: MockEngine, { request, path, answerHeaders }: V1Request) {
  await engine.checkRateLimit(CLIENT);
  const faultRequest: FaultRequest = {
    method: request.method.toUpperCase(),
    path,
    faultHeader: request.headers.get(FAULT_HEADER) ?? undefined,
    idempotencyKey: request.headers.get(IDEMPOTENCY_KEY_HEADER) ?? undefined,
  };
  inject(await engine.queuedFault(faultRequest), answerHeaders);
  const apiKey = await engine.authenticate(request.headers.get('authorization') ?? undefined);
  inject(await engine.headerFault({ ...faultRequest, apiKey }), answerHeaders);
  return apiKey;
}

/** Applies a fault: `reset` drops the connection, the others answer their error. */
function inject(fault: FaultSpec | undefined, answerHeaders: Headers): void {
  if (!fault) return;
  answerHeaders.set(MOCK_FAULT_INJECTED_HEADER, fault.kind);
  if (fault.kind === 'reset') throw new DropConnection('reset fault');
  throw faultError(fault);
}

/**
 * A route's request validated as ts-rest validates it on the server (the same validators, the
 * same inputs: lower-case headers, the query as repeated keys make arrays); VALIDATION_ERROR
 * naming the body's, the query's and the headers' problems in that order.
 */
function validated(route: AppRoute, { request, url }: V1Request, body?: unknown) {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of url.searchParams) {
    const seen = query[name];
    query[name] = seen === undefined ? value : [...[seen].flat(), value];
  }
  const headers = Object.fromEntries(request.headers);
  const bodyResult = validateIfSchema(body, 'body' in route ? route.body : null);
  const queryResult = validateIfSchema(query, route.query);
  const headersResult = validateMultiSchemaObject(headers, route.headers);
  if (bodyResult.error || queryResult.error || headersResult.error) {
    throw requestValidationError({
      body: bodyResult.error,
      query: queryResult.error,
      headers: headersResult.error,
    });
  }
  return { body: bodyResult.value, query: queryResult.value };
}

/** The answer, checked against the route's contract when `validateResponses` is on. */
function checked(route: AppRoute, status: number, body: unknown, options: V1Options): JsonAnswer {
  if (options.validateResponses) validateResponse({ appRoute: route, response: { status, body } });
  return { status, body };
}
