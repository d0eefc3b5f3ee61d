import type { WebhookEventType } from '@eggapi/contracts';
import type { WebhookDeliveryConfig } from '../options.js';

/** Most bytes of a receiver's answer body kept with an attempt (`response_body`). */
export const RESPONSE_EXCERPT_BYTES = 2_048;

/** One HTTP attempt of a delivery. */
export interface DeliveryAttempt {
  attempt: number;
  at: string;
  url: string;
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  /** Why the attempt failed without an answer (timeout, refused, …). */
  error?: string;
  durationMs: number;
  /**
   * The headers the attempt was sent with (its timestamp and, with a secret, its signature); the
   * sender adds `Content-Length` and `Host`. The body sent is the delivery's `body`, every time.
   * Absent when signing failed before anything was sent.
   */
  request_headers?: Record<string, string>;
  /** The start of the receiver's answer body, as text: at most `RESPONSE_EXCERPT_BYTES`. */
  response_body?: string;
  /** Whether the answer body was longer than `response_body`. */
  response_truncated?: boolean;
}

/** A webhook delivery and every attempt made for it. */
export interface Delivery {
  id: string;
  task_id: string;
  /** The owning API key's fingerprint (`sk_t…ggapi`), never the key. */
  owner: string;
  event: WebhookEventType;
  url: string;
  /** The exact bytes sent (and signed). */
  body: string;
  state: 'pending' | 'succeeded' | 'failed';
  attempts: DeliveryAttempt[];
  /** Attempts made before the current round (a redelivery starts a new round). */
  round_start: number;
  next_attempt_at: string | null;
  created_at: string;
}

/**
 * Whether an attempt has been sent (it is recorded before it goes out) and has no outcome yet:
 * in flight, or made by an instance that stopped before it could record the answer.
 */
export function inFlight(attempt: DeliveryAttempt | undefined): attempt is DeliveryAttempt {
  return attempt !== undefined && attempt.status === undefined && attempt.error === undefined;
}

/**
 * When an attempt still without an outcome counts as lost (its instance stopped or lost Redis):
 * after twice the receiver's timeout plus `graceMs`. Through a Redis stall the claim may be read
 * back for up to one timeout and half the grace before it is sent; the request takes up to
 * another timeout; what is left of the grace is the instance's to record the answer. Nobody makes
 * the next attempt before then.
 */
export function lostAt(attempt: DeliveryAttempt, timeoutMs: number, graceMs: number): number {
  return Date.parse(attempt.at) + 2 * timeoutMs + graceMs;
}

/** Signs a delivery: the headers to add for `body` at `timestamp` (Unix seconds). */
export type Signer = (
  body: string,
  secret: string,
  timestamp: number,
) => Record<string, string> | Promise<Record<string, string>>;

/**
 * Sends one webhook request; resolves with the receiver's status and, optionally, the start of
 * its answer body (at most `RESPONSE_EXCERPT_BYTES`, and whether there was more); rejects with
 * why it failed.
 */
export type WebhookSender = (request: {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  signal: AbortSignal;
}) => Promise<{ status: number; body?: string; truncated?: boolean }>;

/** Wait before attempt `made + 1` of a round: `backoffBaseMs · 2^(made-1)`, capped. */
export function backoffDelay(made: number, config: WebhookDeliveryConfig): number {
  return Math.min(config.backoffMaxMs, config.backoffBaseMs * 2 ** (made - 1));
}

/** Why an attempt failed without an answer, as short as the attempts log wants it. */
export function describeFailure(error: unknown, signal?: AbortSignal): string {
  if (signal?.aborted) return signal.reason instanceof Error ? signal.reason.message : 'aborted';
  const cause = (error as { cause?: { code?: string; message?: string }; code?: string }).cause;
  const code = (error as { code?: string }).code ?? cause?.code;
  if (code) return code;
  return error instanceof Error ? (cause?.message ?? error.message) : String(error);
}

/**
 * The start of `text` that fits `RESPONSE_EXCERPT_BYTES` in UTF-8 (never cutting a character),
 * and whether anything was left out.
 */
export function excerptOf(text: string): { text: string; truncated: boolean } {
  // Each UTF-16 unit is at most 3 UTF-8 bytes: short texts need no measuring.
  if (text.length * 3 <= RESPONSE_EXCERPT_BYTES) return { text, truncated: false };
  return excerptOfBytes(new TextEncoder().encode(text));
}

/** The start of a UTF-8 body as text, as `excerptOf` (invalid bytes become U+FFFD). */
export function excerptOfBytes(bytes: Uint8Array): { text: string; truncated: boolean } {
  if (bytes.length <= RESPONSE_EXCERPT_BYTES) {
    return { text: new TextDecoder().decode(bytes), truncated: false };
  }
  let end = RESPONSE_EXCERPT_BYTES;
  // Back up to the start of a character (continuation bytes are 10xxxxxx).
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return { text: new TextDecoder().decode(bytes.subarray(0, end)), truncated: true };
}

/**
 * `delivery` with attempt `outcome.attempt` set to `outcome` (already among its attempts, or the
 * next one), and upstream's policy applied when it is the newest attempt of a pending delivery:
 * delivered → succeeded; cut short by shutdown (`aborted`) → still pending, due again at once;
 * out of attempts → failed; else the next attempt after the backoff. `undefined` when the
 * outcome belongs to no attempt of this delivery.
 */
export function withOutcome(
  delivery: Delivery,
  outcome: DeliveryAttempt,
  policy: { config: WebhookDeliveryConfig; delivered: boolean; aborted: boolean; now: number },
): Delivery | undefined {
  const index = delivery.attempts.findIndex(
    (a) => a.attempt === outcome.attempt && a.at === outcome.at,
  );
  const attempts = [...delivery.attempts];
  if (index >= 0) attempts[index] = outcome;
  else if (outcome.attempt === attempts.length + 1) attempts.push(outcome);
  else return undefined;
  const after: Delivery = { ...delivery, attempts };
  // Only the newest attempt of a pending delivery decides what follows.
  if (delivery.state !== 'pending' || outcome.attempt !== attempts.length) return after;
  const made = attempts.length - delivery.round_start;
  after.next_attempt_at = null;
  if (policy.delivered) after.state = 'succeeded';
  else if (policy.aborted) after.next_attempt_at = new Date(policy.now).toISOString();
  else if (made >= policy.config.maxAttempts) after.state = 'failed';
  else {
    after.next_attempt_at = new Date(policy.now + backoffDelay(made, policy.config)).toISOString();
  }
  return after;
}
