import { clock } from './internal/clock.js';

/** Retries after the first attempt, unless the client or the call says otherwise. */
export const DEFAULT_MAX_RETRIES = 2;
/** Backoff before the first retry, in milliseconds; it doubles for each further retry… */
export const INITIAL_RETRY_DELAY_MS = 500;
/** …up to this cap. */
export const MAX_RETRY_DELAY_MS = 8_000;
/** The longest `Retry-After` the client waits for; a longer one ends the retries at once. */
export const MAX_RETRY_AFTER_MS = 60_000;
/** Statuses worth another attempt: timeouts, rate limits and transient server failures. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/**
 * How a request may be retried.
 * - `idempotent` (every GET): network errors, timeouts and every retryable status.
 * - `creates` (`POST /v1/generate`): only when the server cannot have created anything — a 429,
 *   or a connection that failed before a byte was sent (refused, DNS). Never after a 5xx, a
 *   timeout or a reset, when the task may exist.
 */
export type RetryMode = 'idempotent' | 'creates';

/** Why an attempt failed, as far as the retry decision cares. */
export type AttemptFailure =
  | { kind: 'status'; status: number }
  | { kind: 'timeout' }
  | { kind: 'connection'; beforeSend: boolean };

/** Whether `failure` may be retried under `mode` (see {@link RetryMode}). */
export function isRetryable(mode: RetryMode, failure: AttemptFailure): boolean {
  switch (failure.kind) {
    case 'status':
      return mode === 'idempotent'
        ? RETRYABLE_STATUSES.has(failure.status)
        : failure.status === 429;
    case 'timeout':
      return mode === 'idempotent';
    case 'connection':
      return mode === 'idempotent' || failure.beforeSend;
  }
}

/**
 * The wait the server asked for, in milliseconds: `retry-after-ms` (milliseconds, as openai-node
 * reads it) first, then `Retry-After` as seconds or as an HTTP date. `undefined` when neither is
 * present or readable; never negative.
 */
export function retryAfterMs(headers: Headers, now: number = clock.now()): number | undefined {
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(value)) return Number(value) * 1000;
  // An HTTP date names its weekday or month; a bare "-1" is not one, though Date.parse takes it.
  const date = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Exponential backoff with jitter for the `retry`-th retry (1-based): 500 ms, 1 s, 2 s, 4 s,
 * 8 s, 8 s…, each reduced by up to 25 % at random so that clients do not retry in lockstep.
 */
export function backoffMs(retry: number, random: number = clock.random()): number {
  const base = Math.min(INITIAL_RETRY_DELAY_MS * 2 ** (retry - 1), MAX_RETRY_DELAY_MS);
  return base * (1 - 0.25 * random);
}

/**
 * How long to wait before the `retry`-th retry: the server's `Retry-After` when it sent one,
 * else {@link backoffMs}. `undefined` when the server asked for more than
 * {@link MAX_RETRY_AFTER_MS}: the caller should give up and surface the error (a
 * `RateLimitError` then carries `retryAfter`).
 */
export function retryDelayMs(retry: number, headers: Headers | undefined): number | undefined {
  const asked = headers === undefined ? undefined : retryAfterMs(headers);
  if (asked === undefined) return backoffMs(retry);
  return asked > MAX_RETRY_AFTER_MS ? undefined : asked;
}
