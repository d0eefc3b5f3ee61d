// What signing and verifying a webhook need, without a schema: a verifier loads this and the
// contracts' `checkWebhookEvent`, never zod.

/** The events EggAPI delivers to a task's `webhook_url`. */
export const WEBHOOK_EVENTS = ['task.completed', 'task.failed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** Header carrying the Unix time (seconds) that was signed. */
export const WEBHOOK_TIMESTAMP_HEADER = 'X-EggAPI-Timestamp';
/** Header carrying `sha256=<hex HMAC-SHA256(secret, "{timestamp}.{raw_body}")>`. */
export const WEBHOOK_SIGNATURE_HEADER = 'X-EggAPI-Signature';
/** Prefix of the signature header's value. */
export const WEBHOOK_SIGNATURE_PREFIX = 'sha256=';
/** The HMAC's hash function (node:crypto name; Web Crypto calls it `SHA-256`). */
export const WEBHOOK_SIGNATURE_ALGORITHM = 'sha256';

/**
 * Upstream's delivery policy: per-attempt timeout, attempts in all (the first included),
 * exponential backoff between them. Upstream publishes the timeout, the attempts and the kind of
 * backoff; `backoffBaseMs` (the wait before the 2nd attempt, doubling for each further one) and
 * `backoffMaxMs` (the longest wait) are the toolkit's reading of it, the mock's defaults.
 */
export const WEBHOOK_DELIVERY_POLICY = {
  timeoutMs: 30_000,
  maxAttempts: 5,
  backoff: 'exponential',
  backoffBaseMs: 1_000,
  backoffMaxMs: 60_000,
} as const;

/**
 * The exact string that is signed: `{timestamp}.{raw_body}`. The body must be the raw bytes as
 * received (decoded as UTF-8), never JSON re-serialised after parsing.
 */
export function webhookSignedContent(timestamp: number | string, rawBody: string): string {
  return `${timestamp}.${rawBody}`;
}
