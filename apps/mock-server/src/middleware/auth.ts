import type { RequestHandler } from 'express';
import { HttpError } from '../errors.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The API key that authenticated this request. */
    apiKey: string;
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** `Authorization: Bearer <key>` with a configured key, else 401 UNAUTHORIZED. */
export function bearerAuth(isValidKey: (key: string) => boolean): RequestHandler {
  return (req, _res, next) => {
    const header = req.get('authorization');
    if (!header) {
      return next(
        new HttpError('UNAUTHORIZED', 'missing API key: send "Authorization: Bearer <api key>"'),
      );
    }
    const key = BEARER.exec(header)?.[1];
    if (!key) {
      return next(
        new HttpError(
          'UNAUTHORIZED',
          'malformed Authorization header: expected "Bearer <api key>"',
        ),
      );
    }
    if (!isValidKey(key)) return next(new HttpError('UNAUTHORIZED', 'invalid API key'));
    req.apiKey = key;
    next();
  };
}

/** Admin routes: when a token is configured, `Authorization: Bearer <token>` must carry it. */
export function adminAuth(token: string | undefined): RequestHandler {
  return (req, _res, next) => {
    if (token === undefined) return next();
    const given = BEARER.exec(req.get('authorization') ?? '')?.[1];
    if (given !== token)
      return next(new HttpError('UNAUTHORIZED', 'admin token missing or invalid'));
    next();
  };
}
