import type { RequestHandler } from 'express';
import { HttpError } from '../errors.js';

/**
 * Upstream's per-IP limit as a fixed one-second window: past `requestsPerSecond`, 429
 * RATE_LIMITED with `Retry-After` (whole seconds until the window resets, at least 1).
 */
export function rateLimit(limit: () => number | false, now: () => number): RequestHandler {
  let windowStart = 0;
  let counts = new Map<string, number>();
  return (req, _res, next) => {
    const perSecond = limit();
    if (perSecond === false) return next();
    const t = now();
    if (t - windowStart >= 1000) {
      windowStart = t - (t % 1000);
      counts = new Map();
    }
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const count = (counts.get(ip) ?? 0) + 1;
    counts.set(ip, count);
    if (count <= perSecond) return next();
    const retryAfter = Math.max(1, Math.ceil((windowStart + 1000 - t) / 1000));
    next(
      new HttpError('RATE_LIMITED', `rate limit of ${perSecond} requests per second exceeded`, {
        headers: { 'Retry-After': String(retryAfter) },
      }),
    );
  };
}
