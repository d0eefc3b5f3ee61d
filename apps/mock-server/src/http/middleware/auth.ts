import { bearerToken } from '@eggapi/contracts';
import type { RequestHandler } from 'express';
import { EngineError } from '@eggapi/mock-engine/host';

/** Admin routes: when a token is configured, `Authorization: Bearer <token>` must carry it. */
export function adminAuth(token: string | undefined): RequestHandler {
  return (req, _res, next) => {
    if (token === undefined) return next();
    if (bearerToken(req.headers.authorization) !== token) {
      return next(new EngineError('UNAUTHORIZED', 'admin token missing or invalid'));
    }
    next();
  };
}
