import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pathOf } from '../logger.js';
import {
  CORS_HEADERS,
  PREFLIGHT_HEADERS,
  requestIds,
  shuttingDown,
} from '../../protocol/request-context.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** This request's id, echoed in `X-Request-Id`. */
    id: string;
  }
}

/**
 * What every request gets, in one middleware (each express layer costs on the hot path):
 * an `X-Request-Id` (the caller's when it is a sane token, else a new one), permissive CORS with
 * 204 preflights so browser clients can use the mock, and one log line when it is answered.
 */
export function requestContext(logger: Logger, closing: () => boolean): RequestHandler {
  const logRequests = logger.isLevelEnabled('info');
  const requestId = requestIds();
  return (req, res, next) => {
    req.id = requestId(req.headers['x-request-id']);
    res.setHeader('X-Request-Id', req.id);
    // CORS headers only for browsers (they always send Origin on cross-origin calls).
    if (req.headers.origin !== undefined) {
      for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
    }
    if (closing()) {
      // A request on a kept-alive connection while the server shuts down: refuse, and close.
      res.setHeader('Connection', 'close');
      return next(shuttingDown());
    }
    if (req.method === 'OPTIONS') {
      // Preflights and plain OPTIONS alike: 204, never express's automatic text/plain answer.
      for (const [name, value] of Object.entries(PREFLIGHT_HEADERS)) res.setHeader(name, value);
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
            url: pathOf(req.originalUrl),
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
