import { DEFAULT_TOLERANCE_SECONDS, type WebhookClock } from '../options.js';

// Receiver misconfiguration throws plain TypeError/RangeError at call time: it is a bug to fix
// in the receiver, not a property of one delivery, so it must not look like a 400-able failure.

/** The secrets as a non-empty list of usable strings; throws `TypeError` otherwise. */
export function secretList(secret: unknown): readonly string[] {
  const list: readonly unknown[] = Array.isArray(secret) ? secret : [secret];
  if (list.length === 0) throw new TypeError('eggapi webhook: `secret` is an empty array.');
  for (const item of list) checkSecret(item);
  return list as readonly string[];
}

/** A single signing secret; throws `TypeError` when it is not a non-empty, unpadded string. */
export function checkSecret(secret: unknown): string {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new TypeError(
      'eggapi webhook: `secret` must be a non-empty string (the webhook secret of your EggAPI account).',
    );
  }
  if (secret.trim() !== secret) {
    throw new TypeError(
      'eggapi webhook: the secret has leading or trailing whitespace (often a newline from an env ' +
        'file or `echo`). Trim it where you load it; it is refused rather than trimmed here because ' +
        'EggAPI signs with the exact secret.',
    );
  }
  return secret;
}

/** The tolerance in seconds (default 300); throws `RangeError` when negative, NaN or infinite. */
export function toleranceSeconds(tolerance: unknown): number {
  if (tolerance === undefined) return DEFAULT_TOLERANCE_SECONDS;
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) {
    throw new RangeError(
      'eggapi webhook: `tolerance` must be a finite number of seconds >= 0 ' +
        `(default ${DEFAULT_TOLERANCE_SECONDS}); 0 means the timestamp must be this very second.`,
    );
  }
  return tolerance;
}

/**
 * Below this a clock value is taken as Unix seconds, above it as milliseconds: 1e11 ms is 1973 and
 * 1e11 s is the year 5138, so the two readings never overlap.
 */
const SECONDS_BELOW = 1e11;

/**
 * The current Unix time in whole seconds from `now`: a number, a Date, or a function returning
 * either (default `Date.now`). Numbers under 1e11 are seconds, larger ones milliseconds.
 */
export function currentSeconds(now: WebhookClock | undefined): number {
  const raw = typeof now === 'function' ? now() : (now ?? Date.now());
  const value = raw instanceof Date ? raw.getTime() : raw;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(
      'eggapi webhook: `now` must be (or return) Unix seconds, milliseconds or a Date.',
    );
  }
  return Math.floor(value < SECONDS_BELOW ? value : value / 1000);
}

/** A Unix timestamp to sign; throws `RangeError` unless it is a non-negative integer. */
export function checkTimestamp(timestamp: unknown): number {
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError(
      'eggapi webhook: `timestamp` must be whole Unix seconds (an integer >= 0).',
    );
  }
  return timestamp;
}
