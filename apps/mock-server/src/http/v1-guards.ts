import { IDEMPOTENCY_KEY_HEADER, MOCK_FAULT_INJECTED_HEADER } from '@eggapi/contracts';
import type { Request, RequestHandler, Response } from 'express';
import type { MockEngine } from '../engine/engine.js';
import { faultError, type FaultRequest } from '../engine/faults.js';
import type { FaultSpec } from '../engine/scenarios.js';
import { FAULT_HEADER } from '../engine/scenarios.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The API key that authenticated this request. */
    apiKey: string;
  }
}

const single = (value: string | string[] | undefined) =>
  Array.isArray(value) ? value.join(', ') : value;

/**
 * What every `/v1` request passes, in this order, as one express layer: the rate limit, faults
 * queued through the admin API (an upstream 5xx or 429 does not wait for the key check), the API
 * key, and only then the `X-EggAPI-Mock-Fault` header: nobody without a key drives the mock.
 */
export function v1Guards(engine: MockEngine): RequestHandler {
  return (req, res, next) => {
    guard(engine, req, res).then((pass) => pass && next(), next);
  };
}

/**
 * The client a rate-limit bucket counts: its IP. `/v1` counts the bare IP; the images and the
 * admin routes prefix it (`images:`, `admin:`), so each has a budget of its own.
 */
export function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

async function guard(engine: MockEngine, req: Request, res: Response): Promise<boolean> {
  await engine.checkRateLimit(clientIp(req));
  const request: FaultRequest = {
    method: req.method,
    path: req.baseUrl + req.path,
    faultHeader: single(req.headers[FAULT_HEADER]),
    idempotencyKey: single(req.headers[IDEMPOTENCY_KEY_HEADER]),
  };
  if (!inject(await engine.queuedFault(request), req, res)) return false;
  req.apiKey = await engine.authenticate(single(req.headers.authorization));
  return inject(await engine.headerFault({ ...request, apiKey: req.apiKey }), req, res);
}

/** Applies a fault: `reset` drops the connection, the others answer their error. */
function inject(fault: FaultSpec | undefined, req: Request, res: Response): boolean {
  if (!fault) return true;
  res.setHeader(MOCK_FAULT_INJECTED_HEADER, fault.kind);
  if (fault.kind === 'reset') {
    req.socket.destroy();
    return false;
  }
  throw faultError(fault);
}
