import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';

const SAFE_ID = /^[\w.:-]{1,128}$/;

declare module 'express-serve-static-core' {
  interface Request {
    /** This request's id, echoed in `X-Request-Id`. */
    id: string;
  }
}

/** Gives every answer an `X-Request-Id`: the caller's when it is a sane token, else a new one. */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    req.id =
      incoming && SAFE_ID.test(incoming) ? incoming : `req_${randomBytes(12).toString('hex')}`;
    res.setHeader('X-Request-Id', req.id);
    next();
  };
}
