import { REQUEST_ID_HEADER } from '@eggapi/contracts';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pathOf } from '../logger.js';
import { corsHeaders, preflightHeaders, type AllowedOrigins } from '@eggapi/mock-engine/host';
import { isAdminPath, requestIds, shuttingDown } from '@eggapi/mock-engine/host';

declare module 'express-serve-static-core' {
  interface Request {
    /** This request's id, echoed in `X-Request-Id`. */
    id: string;
  }
}

// Node keys incoming headers in lower case.
const REQUEST_ID_LOWER = REQUEST_ID_HEADER.toLowerCase();

/**
 * What every request gets, in one middleware (each express layer costs on the hot path):
 * an `X-Request-Id` (the caller's when it is a sane token, else a new one), CORS with 204
 * preflights so browser clients can use the mock (any origin, or those of `corsOrigins`), and
 * one log line when it is answered. `/__admin` gets no CORS at all: its own router answers its
 * `OPTIONS` and refuses other sites' pages.
 */
export function requestContext(
  logger: Logger,
  closing: () => boolean,
  corsOrigins: AllowedOrigins,
): RequestHandler {
  const logRequests = logger.isLevelEnabled('info');
  const requestId = requestIds();
  return (req, res, next) => {
    req.id = requestId(req.headers[REQUEST_ID_LOWER]);
    res.setHeader(REQUEST_ID_HEADER, req.id);
    const admin = isAdminPath(req.path);
    const origin = req.headers.origin;
    if (!admin && (origin !== undefined || corsOrigins !== undefined)) {
      for (const [name, value] of Object.entries(corsHeaders(origin, corsOrigins))) {
        res.setHeader(name, value);
      }
    }
    if (closing()) {
      // A request on a kept-alive connection while the server shuts down: refuse, and close.
      res.setHeader('Connection', 'close');
      return next(shuttingDown());
    }
    if (req.method === 'OPTIONS' && !admin) {
      // Preflights and plain OPTIONS alike: 204, never express's automatic text/plain answer.
      for (const [name, value] of Object.entries(preflightHeaders(origin, corsOrigins))) {
        res.setHeader(name, value);
      }
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
