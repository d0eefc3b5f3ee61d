import { REQUEST_ID_HEADER } from '@eggapi/contracts';
import type { MockEngine } from '../engine/engine.js';
import { EngineError } from '../engine/errors.js';
import { bodyErrors, httpAnswer } from '../protocol/answers.js';
import { corsHeaders, preflightHeaders, type AllowedOrigins } from '../protocol/cors.js';
import { requestIds, shuttingDown } from '../protocol/request-context.js';
import { imageHeaders, IMAGES_BUCKET, noImage, outputIndex } from '../protocol/images.js';
import { noRoute } from '../protocol/routes.js';
import { answerV1, CLIENT, DropConnection, type JsonAnswer, type V1Options } from './v1.js';

export interface FetchHandlerOptions extends V1Options {
  /** Whether the mock has been closed (requests then get 503). */
  closing: () => boolean;
  /** Where unexpected failures go (they are answered 500 INTERNAL_ERROR). */
  onError: (error: unknown) => void;
  /** The origins granted CORS; `undefined`: any (`*`). */
  corsOrigins?: AllowedOrigins;
}

const V1 = /^\/v1(?:\/|$)/i;
const IMAGE = /^\/images\/([^/]+)\/([^/]+)\/?$/i;

/**
 * The mock as a Fetch API handler, `Request` → `Response`, answering as the HTTP server does:
 * `X-Request-Id` on every answer, CORS for browsers (any origin, or those of `corsOrigins`), 204
 * to `OPTIONS`, the `/v1` API, the output images (rate-limited in a bucket of their own), and
 * the 404 envelope for anything else under the base URL (the server's docs, console
 * and admin routes are not served: use the test controls). A `reset` fault answers
 * `Response.error()`, which fetch turns into a network error. MSW handlers call it; so may a
 * service worker of your own.
 */
export function createFetchHandler(
  engine: MockEngine,
  options: FetchHandlerOptions,
): (request: Request) => Promise<Response> {
  const requestId = requestIds();
  const basePath = new URL(options.baseUrl).pathname.replace(/\/+$/, '');
  return async (request) => {
    const url = new URL(request.url);
    const path = url.pathname.slice(basePath.length) || '/';
    const headers = new Headers({
      [REQUEST_ID_HEADER]: requestId(request.headers.get(REQUEST_ID_HEADER) ?? undefined),
    });
    const origin = request.headers.get('origin') ?? undefined;
    for (const [name, value] of Object.entries(corsHeaders(origin, options.corsOrigins))) {
      headers.set(name, value);
    }
    const head = request.method.toUpperCase() === 'HEAD';
    try {
      if (options.closing()) throw shuttingDown();
      if (request.method.toUpperCase() === 'OPTIONS') {
        for (const [name, value] of Object.entries(preflightHeaders(origin, options.corsOrigins))) {
          headers.set(name, value);
        }
        return new Response(null, { status: 204, headers });
      }
      if (V1.test(path)) {
        const answer = await answerV1(
          engine,
          { request, path, url, answerHeaders: headers },
          options,
        );
        return json(answer, headers, head);
      }
      if (/^\/images\//i.test(path)) await engine.checkRateLimit(`${IMAGES_BUCKET}${CLIENT}`);
      const image = IMAGE.exec(path);
      if (image && (head || request.method.toUpperCase() === 'GET')) {
        return await answerImage(engine, request, path, image, headers, head);
      }
      throw noRoute(request.method, path);
    } catch (error) {
      if (error instanceof DropConnection) return Response.error();
      return json(errorAnswer(error, options.onError), headers, head);
    }
  };
}

/** `GET /images/:taskId/:n.png`: public, like upstream's file host; 304 when the ETag matches. */
async function answerImage(
  engine: MockEngine,
  request: Request,
  path: string,
  [, taskPart, filePart]: RegExpExecArray,
  headers: Headers,
  head: boolean,
): Promise<Response> {
  const index = outputIndex(decodeURIComponent(filePart!));
  const image =
    index === undefined ? undefined : await engine.image(decodeURIComponent(taskPart!), index);
  if (!image) throw noImage(path);
  for (const [name, value] of Object.entries(imageHeaders(image.etag))) headers.set(name, value);
  if (fresh(request, image.etag)) return new Response(null, { status: 304, headers });
  headers.set('Content-Length', String(image.png.byteLength));
  // Both renderers' bytes live in a plain ArrayBuffer (never a SharedArrayBuffer).
  const body = image.png as Uint8Array<ArrayBuffer>;
  return new Response(head ? null : body, { status: 200, headers });
}

/** Whether the caller's cached copy is current (`If-None-Match`), as express's `req.fresh`. */
function fresh(request: Request, etag: string): boolean {
  const match = request.headers.get('if-none-match');
  if (!match || /(?:^|,)\s*no-cache\s*(?:,|$)/.test(request.headers.get('cache-control') ?? '')) {
    return false;
  }
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return match.trim() === '*' || match.split(',').some((tag) => bare(tag) === bare(etag));
}

/** The envelope of any failure: engine errors as themselves, the rest 500 INTERNAL_ERROR. */
function errorAnswer(error: unknown, onError: (error: unknown) => void): JsonAnswer {
  let known: EngineError;
  if (error instanceof EngineError) known = error;
  else if (error instanceof URIError) known = bodyErrors.badPath();
  else {
    onError(error);
    known = new EngineError('INTERNAL_ERROR', 'internal server error');
  }
  const { status, headers, body } = httpAnswer(known);
  return { status, headers, body };
}

const encoder = new TextEncoder();

/** A JSON answer as express's `res.json` writes it (no body to `HEAD`). */
function json(answer: JsonAnswer, headers: Headers, head: boolean): Response {
  for (const [name, value] of Object.entries(answer.headers ?? {})) headers.set(name, value);
  const bytes = encoder.encode(JSON.stringify(answer.body));
  headers.set('Content-Type', 'application/json; charset=utf-8');
  headers.set('Content-Length', String(bytes.byteLength));
  return new Response(head ? null : bytes, { status: answer.status, headers });
}
