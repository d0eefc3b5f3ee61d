import type { RateLimitStore } from './ports/store.js';
import { EngineError } from './errors.js';

/**
 * Upstream's per-IP limit as a fixed one-second window: past `perSecond` requests, RATE_LIMITED
 * with the whole seconds until the window resets (at least 1).
 */
export async function checkRateLimit(
  store: RateLimitStore,
  client: string,
  perSecond: number | false,
  now: number,
): Promise<void> {
  if (perSecond === false) return;
  const windowStart = now - (now % 1000);
  const count = await store.hit(client, windowStart);
  if (count <= perSecond) return;
  const retryAfter = Math.max(1, Math.ceil((windowStart + 1000 - now) / 1000));
  throw new EngineError(
    'RATE_LIMITED',
    `rate limit of ${perSecond} requests per second exceeded`,
    undefined,
    retryAfter,
  );
}
