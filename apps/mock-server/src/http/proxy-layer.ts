import {
  bearerToken,
  checkApiRequest,
  checkApiResponse,
  REQUEST_ID_HEADER,
  type ApiRequest,
  type ContractIssue,
} from '@eggapi/contracts';
import { EngineError, keyFingerprint, type MockEngine } from '@eggapi/mock-engine/host';
import express, { type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import { sendError } from './errors.js';
import { journalAnswer, keepBodyText } from './journal.js';
import { forward, UpstreamFailure, type UpstreamAnswer } from '../proxy/forward.js';
import { forwardedRequestHeaders, passedBackHeaders } from '../proxy/headers.js';
import type { Recorder } from '../proxy/recorder.js';
import { reportViolations } from '../proxy/violations.js';

/** The most answer bytes read from the upstream: an endless body ends in a 502. */
export const UPSTREAM_MAX_BYTES = 10 * 1024 * 1024;

export interface ProxyOptions {
  proxyTo: string;
  proxyErrors: boolean;
  proxyTimeoutMs: number;
  maxBodyBytes: number;
}

const REQUEST_ID_LOWER = REQUEST_ID_HEADER.toLowerCase();
const TASK_PATH = /^\/v1\/tasks\/([^/]+)$/;

/**
 * The validating proxy, mounted at `/v1` instead of the mock's API: each request is checked
 * against the contract and forwarded with its own `Authorization`; the upstream's answer is
 * checked too and passed through unchanged (status, body bytes, `X-Request-Id`, `Retry-After`,
 * rate-limit headers), or, with `proxyErrors`, a violating one is answered 502
 * `UPSTREAM_CONTRACT_VIOLATION`. A violating request is still forwarded (as Prism does).
 * An upstream that cannot be reached, is too slow, or answers no JSON gets a 502/504 envelope
 * naming it.
 */
export function validatingProxy(
  engine: MockEngine,
  options: ProxyOptions,
  logger: Logger,
  recorder: Recorder | undefined,
): RequestHandler[] {
  const upstream = new URL(options.proxyTo);
  const base = upstream.pathname.replace(/\/+$/, '');
  const readBody = express.raw({
    type: () => true,
    limit: options.maxBodyBytes,
    verify: keepBodyText,
  });
  const proxy: RequestHandler = (req, res, next) => {
    const startedAt = Date.now();
    const started = performance.now();
    const url = new URL(req.originalUrl, 'http://proxy');
    const path = url.pathname;
    const target = new URL(base + req.originalUrl, upstream);
    // A path that normalizes out of /v1 (`/v1/../x`) would reach another part of the upstream.
    const below = target.pathname.startsWith(base) ? target.pathname.slice(base.length) : '';
    if (target.origin !== upstream.origin || !/^\/v1(\/|$)/.test(below)) {
      return next(new EngineError('NOT_FOUND', `no route ${req.method} ${path}`));
    }
    const body = Buffer.isBuffer(req.body) ? req.body : undefined;
    const headers = forwardedRequestHeaders(req.headers);
    headers[REQUEST_ID_LOWER] = req.id;
    const request: ApiRequest = {
      method: req.method,
      path,
      query: url.search.slice(1),
      headers,
      body: parseJson(body),
    };
    const requestIssues = checkApiRequest(request);
    forward(
      { method: req.method, url: target, headers, body },
      { timeoutMs: options.proxyTimeoutMs, maxBytes: UPSTREAM_MAX_BYTES },
    ).then(
      (answer) => {
        const parsed = parseJson(answer.body);
        const responseIssues = checkApiResponse(request, { status: answer.status, body: parsed });
        const requestId = headerText(answer.headers[REQUEST_ID_LOWER]) ?? req.id;
        const status = answerClient(res, answer, parsed, responseIssues, options, upstream);
        reportViolations(
          engine,
          logger,
          { method: req.method, path, status, request_id: requestId },
          { request: requestIssues, response: responseIssues },
        );
        // Only queued: the answer is already on its way.
        recorder?.record({
          startedAt,
          durationMs: performance.now() - started,
          method: req.method,
          path,
          query: request.query!,
          key: keyOf(headers.authorization),
          requestHeaders: shownHeaders(headers),
          requestBody: body,
          status: answer.status,
          responseHeaders: passedBackHeaders(answer.headers),
          responseBody: answer.body,
          answer: parsed,
          taskId: taskIdOf(path, parsed),
        });
      },
      (error: unknown) => {
        const failure =
          error instanceof UpstreamFailure
            ? error
            : new UpstreamFailure('unreachable', `${upstream.origin}: ${String(error)}`);
        logger.warn({ req_id: req.id, upstream: upstream.origin }, failure.message);
        sendError(
          res,
          new EngineError(
            failure.kind === 'timeout' ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_BAD_GATEWAY',
            failure.message,
          ),
        );
        reportViolations(
          engine,
          logger,
          { method: req.method, path, status: res.statusCode, request_id: req.id },
          { request: requestIssues, response: [] },
        );
      },
    );
  };
  return [readBody, proxy];
}

/**
 * Answers the client: the upstream's answer unchanged, or a 502 envelope when it is not JSON, or
 * when it violates the contract and `proxyErrors` is on. Returns the status sent.
 */
function answerClient(
  res: Response,
  answer: UpstreamAnswer,
  parsed: unknown,
  issues: ContractIssue[],
  options: ProxyOptions,
  upstream: URL,
): number {
  const passed = passedBackHeaders(answer.headers);
  const requestId = passed[REQUEST_ID_LOWER];
  if (requestId !== undefined) res.setHeader(REQUEST_ID_HEADER, requestId);
  if (parsed === undefined) {
    const type = headerText(answer.headers['content-type']) ?? 'no Content-Type';
    sendError(
      res,
      new EngineError(
        'UPSTREAM_BAD_GATEWAY',
        `${upstream.origin} answered ${answer.status} with ${type}, not JSON`,
        issues,
      ),
    );
    return res.statusCode;
  }
  if (options.proxyErrors && issues.length > 0) {
    sendError(
      res,
      new EngineError(
        'UPSTREAM_CONTRACT_VIOLATION',
        `${upstream.origin} answered ${answer.status} differently from the contract: ${issues
          .slice(0, 3)
          .map((issue) => `${issue.path}: ${issue.message}`)
          .join('; ')}`,
        issues,
      ),
    );
    return res.statusCode;
  }
  for (const [name, value] of Object.entries(passed)) res.setHeader(name, value);
  journalAnswer(res, parsed);
  res.status(answer.status).end(answer.body);
  return answer.status;
}

function parseJson(bytes: Buffer | undefined): unknown {
  if (bytes === undefined || bytes.length === 0) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The fingerprint of an `Authorization` value's key, `null` without a bearer token. */
function keyOf(authorization: string | undefined): string | null {
  const key = authorization === undefined ? undefined : bearerToken(authorization);
  return key === undefined ? null : keyFingerprint(key);
}

/** Request headers as a recording shows them: the key only as its fingerprint. */
function shownHeaders(headers: Record<string, string>): Record<string, string> {
  const { authorization, ...rest } = headers;
  if (authorization === undefined) return rest;
  const key = keyOf(authorization);
  return { ...rest, authorization: key === null ? '[redacted]' : `Bearer ${key}` };
}

/** The task an exchange read (its path) or created (its answer), if any. */
function taskIdOf(path: string, answer: unknown): string | null {
  const fromPath = TASK_PATH.exec(path)?.[1];
  if (fromPath !== undefined) return decodeURIComponentSafe(fromPath);
  const id = (answer as { data?: { id?: unknown } } | undefined)?.data?.id;
  return typeof id === 'string' ? id : null;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
