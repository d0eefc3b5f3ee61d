import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { EngineError } from '../../engine/errors.js';

const SAFE_ID = /^[\w.:-]{1,128}$/;

declare module 'express-serve-static-core' {
  interface Request {
    /** This request's id, echoed in `X-Request-Id`. */
    id: string;
  }
}

const EXPOSED = 'X-Request-Id, Retry-After, Idempotent-Replayed';
const ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'Idempotency-Key',
  'X-Request-Id',
  'X-EggAPI-Mock-Scenario',
  'X-EggAPI-Mock-Fault',
].join(', ');

/**
 * What every request gets, in one middleware (each express layer costs on the hot path):
 * an `X-Request-Id` (the caller's when it is a sane token, else a new one), permissive CORS with
 * 204 preflights so browser clients can use the mock, and one log line when it is answered.
 */
export function requestContext(logger: Logger, closing: () => boolean): RequestHandler {
  const logRequests = logger.isLevelEnabled('info');
  // Ids are unique, not secret: a random per-server prefix and a counter, cheap on the hot path.
  const prefix = randomBytes(6).toString('hex');
  let counter = 0;
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    req.id =
      typeof incoming === 'string' && SAFE_ID.test(incoming)
        ? incoming
        : `req_${prefix}${(++counter).toString(16).padStart(12, '0')}`;
    res.setHeader('X-Request-Id', req.id);
    // CORS headers only for browsers (they always send Origin on cross-origin calls).
    if (req.headers.origin !== undefined) {
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Access-Control-Expose-Headers', EXPOSED);
    }
    if (closing()) {
      // A request on a kept-alive connection while the server shuts down: refuse, and close.
      res.setHeader('Connection', 'close');
      return next(
        new EngineError('SERVICE_UNAVAILABLE', 'the server is shutting down', undefined, 1),
      );
    }
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Origin', '*');
      // Preflights and plain OPTIONS alike: 204, never express's automatic text/plain answer.
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PATCH, DELETE, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    if (logRequests) {
      const started = performance.now();
      res.on('finish', () => {
        logger.info(
          {
            req_id: req.id,
            method: req.method,
            url: req.originalUrl,
            status: res.statusCode,
            ms: Math.round((performance.now() - started) * 10) / 10,
          },
          'request',
        );
      });
    }
    next();
  };
}
