import type { Request } from 'express';
import { canonicalOrigin, type RequestFacts } from '@eggapi/mock-engine/host';

declare module 'express-serve-static-core' {
  interface Request {
    /** The API key (owner) that authenticated this `/v1` request. */
    apiKey: string;
  }
}

const FACTS = Symbol('eggapi.facts');

/** Where this request arrived, e.g. `http://127.0.0.1:4010`: the base of its image links. */
export function requestBase(req: Pick<Request, 'protocol' | 'get'>): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/**
 * The client a rate-limit bucket counts: its IP. `/v1` counts the bare IP; the images and the
 * admin routes prefix it (`images:`, `admin:`), so each has a budget of its own.
 */
export function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** What the engine's request pipeline reads of an express request (built once per request). */
export function factsOf(req: Request): RequestFacts {
  const cached = (req as Request & { [FACTS]?: RequestFacts })[FACTS];
  if (cached) return cached;
  const host = req.headers.host;
  const facts: RequestFacts = {
    method: req.method.toUpperCase(),
    path: req.baseUrl + req.path,
    header: (name) => {
      const value = req.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    client: clientIp(req),
    base: requestBase(req),
    ownOrigin: host === undefined ? undefined : canonicalOrigin(`${req.protocol}://${host}`),
  };
  (req as Request & { [FACTS]?: RequestFacts })[FACTS] = facts;
  return facts;
}
