import type { RequestHandler } from 'express';
import { DropConnection, guardV1, type MockEngine } from '@eggapi/mock-engine/host';
import { factsOf } from './request-facts.js';

/**
 * The engine's `/v1` guards (rate limit, queued faults, the API key, the fault header) as one
 * express layer; a `reset` fault drops the connection.
 */
export function v1Guards(engine: MockEngine): RequestHandler {
  return (req, res, next) => {
    guardV1(engine, factsOf(req), (name, value) => res.setHeader(name, value)).then(
      (apiKey) => {
        req.apiKey = apiKey;
        next();
      },
      (error: unknown) => {
        if (error instanceof DropConnection) req.socket.destroy();
        else next(error);
      },
    );
  };
}
