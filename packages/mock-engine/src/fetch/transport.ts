import { contract, OPENAPI_DOCUMENT, REQUEST_ID_HEADER } from '@eggapi/contracts';
import { adminContract } from '../admin/contract.js';
import type { MockEngine } from '../engine/engine.js';
import { EngineError } from '../engine/errors.js';
import { canonicalOrigin } from '../options.js';
import { guardAdmin, isAdminPath, type AdminGuardOptions } from '../pipeline/admin-guard.js';
import { adminRoutes } from '../pipeline/admin-routes.js';
import { eventStream } from '../pipeline/events.js';
import { answerImage, isImagePath } from '../pipeline/images.js';
import type { RequestFacts } from '../pipeline/types.js';
import { DropConnection, guardV1 } from '../pipeline/v1-guard.js';
import { v1Routes } from '../pipeline/v1-routes.js';
import { bodyErrors, httpAnswer } from '../protocol/answers.js';
import { corsHeaders, preflightHeaders, type AllowedOrigins } from '../protocol/cors.js';
import { requestIds, shuttingDown } from '../protocol/request-context.js';
import { noRoute } from '../protocol/routes.js';
import { serveContract, type RoutedAnswer } from './contract-router.js';
import { bodyTextOf } from './read-json.js';

export interface FetchTransportOptions extends AdminGuardOptions {
  /**
   * The base of the answered paths and of image links; `undefined`: any origin, each request's
   * own as the base of its links (as the Node server does).
   */
  baseUrl: string | undefined;
  maxBodyBytes: number;
  validateResponses: boolean;
  /** Whether the mock has been closed (requests then get 503). */
  closing: () => boolean;
  /** Where unexpected failures go (they are answered 500 INTERNAL_ERROR). */
  onError: (error: unknown) => void;
  /** The origins granted CORS; `undefined`: any (`*`). */
  corsOrigins?: AllowedOrigins;
  /** Who a rate-limit bucket counts for a request (default: one client for every request). */
  clientOf?: (request: Request) => string;
}

const V1_PATH = /^\/v1(?:\/|$)/i;
/** The admin API's largest body, in bytes (its bodies are small settings). */
const ADMIN_BODY_BYTES = 64 * 1024;
/** Every request counts as one client for the rate limit unless told otherwise (there is no IP). */
const ONE_CLIENT = 'fetch';

/**
 * The mock over Fetch API requests, answering as the Node server does: `X-Request-Id` on every
 * answer, CORS for browsers on `/v1` and the images (none on `/__admin`), 204 to `OPTIONS`, the
 * `/v1` API and the admin API (the same guards and routes as the Node server), the output
 * images, `/openapi.json`, and the 404 envelope for anything else. A `reset` fault answers
 * `Response.error()`, which fetch turns into a network error.
 */
export function fetchTransport(
  engine: MockEngine,
  options: FetchTransportOptions,
): (request: Request) => Promise<Response> {
  const requestId = requestIds();
  const basePath =
    options.baseUrl === undefined ? '' : new URL(options.baseUrl).pathname.replace(/\/+$/, '');
  const serveV1 = serveContract(contract, v1Routes(engine), options);
  const serveAdmin = serveContract(
    adminContract,
    adminRoutes(engine, () => eventStream(engine)),
    {
      maxBodyBytes: ADMIN_BODY_BYTES,
      validateResponses: options.validateResponses,
    },
  );
  return async (request) => {
    const method = request.method.toUpperCase();
    const url = new URL(request.url);
    const path = url.pathname.slice(basePath.length) || '/';
    // The journal keeps what the app calls: `/v1` and the images, never preflights or admin.
    const record =
      method !== 'OPTIONS' && (V1_PATH.test(path) || isImagePath(path))
        ? engine.journalRequest()
        : undefined;
    const seen: { answer?: unknown } = {};
    const response = await answer(request, url, method, path, seen);
    record?.({
      method,
      path,
      query: url.searchParams,
      headers: request.headers,
      bodyText: bodyTextOf(request),
      status: response.type === 'error' ? 0 : response.status,
      answer: seen.answer,
    });
    return response;
  };

  async function answer(
    request: Request,
    url: URL,
    method: string,
    path: string,
    seen: { answer?: unknown },
  ): Promise<Response> {
    const facts: RequestFacts = {
      method,
      path,
      header: (name) => request.headers.get(name) ?? undefined,
      client: options.clientOf?.(request) ?? ONE_CLIENT,
      base: options.baseUrl ?? url.origin,
      ownOrigin: canonicalOrigin(url.origin),
    };
    const headers = new Headers({
      [REQUEST_ID_HEADER]: requestId(facts.header(REQUEST_ID_HEADER)),
    });
    const admin = isAdminPath(facts.path);
    const origin = facts.header('origin');
    if (!admin) setAll(headers, corsHeaders(origin, options.corsOrigins));
    const head = method === 'HEAD';
    try {
      if (options.closing()) throw shuttingDown();
      if (method === 'OPTIONS' && !admin) {
        setAll(headers, preflightHeaders(origin, options.corsOrigins));
        return new Response(null, { status: 204, headers });
      }
      let routed: RoutedAnswer | undefined;
      if (V1_PATH.test(facts.path)) {
        const apiKey = await guardV1(engine, facts, (name, value) => headers.set(name, value));
        routed = await serveV1(request, { ...facts, apiKey }, url);
      } else if (admin) {
        if ((await guardAdmin(engine, facts, options)) === 'options') {
          return new Response(null, { status: 204, headers });
        }
        routed = await serveAdmin(request, { ...facts, apiKey: '' }, url);
      } else if (isImagePath(facts.path)) {
        const image = await answerImage(engine, facts);
        setAll(headers, image.headers);
        return new Response(image.body as Uint8Array<ArrayBuffer> | null, {
          status: image.status,
          headers,
        });
      } else if (/^\/openapi\.json\/?$/i.test(facts.path) && (head || method === 'GET')) {
        routed = {
          status: 200,
          body: { ...OPENAPI_DOCUMENT, servers: [{ url: facts.base, description: 'this mock' }] },
        };
      }
      if (!routed) throw noRoute(request.method, facts.path);
      if (routed.body instanceof ReadableStream) {
        setAll(headers, routed.headers ?? {});
        return new Response(head ? null : routed.body, { status: routed.status, headers });
      }
      seen.answer = routed.body;
      return json(routed, headers, head);
    } catch (error) {
      if (error instanceof DropConnection) return Response.error();
      const failure = errorAnswer(error, options.onError);
      seen.answer = failure.body;
      return json(failure, headers, head);
    }
  }
}

function setAll(headers: Headers, values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) headers.set(name, value);
}

/** The envelope of any failure: engine errors as themselves, the rest 500 INTERNAL_ERROR. */
function errorAnswer(error: unknown, onError: (error: unknown) => void): RoutedAnswer {
  let known: EngineError;
  if (error instanceof EngineError) known = error;
  else if (error instanceof URIError) known = bodyErrors.badPath();
  else {
    onError(error);
    known = new EngineError('INTERNAL_ERROR', 'internal server error');
  }
  return httpAnswer(known);
}

const encoder = new TextEncoder();

/** A JSON answer as express's `res.json` writes it (no body to `HEAD`). */
function json(answer: RoutedAnswer, headers: Headers, head: boolean): Response {
  setAll(headers, answer.headers ?? {});
  const bytes = encoder.encode(JSON.stringify(answer.body));
  headers.set('Content-Type', 'application/json; charset=utf-8');
  headers.set('Content-Length', String(bytes.byteLength));
  return new Response(head ? null : bytes, { status: answer.status, headers });
}
