import type { WebhookHeaders } from './headers.js';

/** Default tolerance, in seconds, between the signed timestamp and the receiver's clock. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * The raw request body exactly as received: a string, a Buffer / Uint8Array or an ArrayBuffer.
 * Never the parsed JSON: re-serialising changes the bytes and the signature no longer matches.
 */
export type WebhookPayload = string | Uint8Array | ArrayBuffer;

/**
 * The account's webhook secret, or several during a rotation (a delivery signed with any of them
 * passes). Used as the UTF-8 bytes of the string, exactly as configured upstream.
 */
export type WebhookSecret = string | readonly string[];

/**
 * The verifier's clock: Unix seconds, milliseconds or a Date, or a function returning one of them
 * (numbers under 1e11 are read as seconds, larger ones as milliseconds). Default `Date.now`.
 */
export type WebhookClock = number | Date | (() => number | Date);

/** Options of the receiver side that do not depend on the request: shared by every helper. */
export interface WebhookVerifyConfig {
  /**
   * The webhook secret (or several, for rotation); empty or padded secrets throw `TypeError`.
   * Required, except with `allowUnsigned: true` (an account without a secret gets unsigned
   * deliveries); a signed delivery then still needs a secret to match.
   */
  secret?: WebhookSecret;
  /**
   * Largest allowed distance, in seconds, between `X-EggAPI-Timestamp` and now, in both
   * directions. Default 300. `0` means "exactly this second" (it never turns the check off);
   * negative, non-finite or non-number values throw `RangeError`.
   */
  tolerance?: number;
  /** Clock, default `Date.now`. See {@link WebhookClock}. */
  now?: WebhookClock;
  /**
   * Accept deliveries without `X-EggAPI-Signature` (upstream sends none while the account has no
   * webhook secret). Default `false`: they fail with `missing_signature`. Only the signature is
   * waived: the timestamp must still be present and fresh, a signature that *is* sent must still
   * match, and the payload is still validated.
   */
  allowUnsigned?: boolean;
}

/** Options of `verifyWebhook` (node and web entries). */
export interface VerifyWebhookOptions extends WebhookVerifyConfig {
  /** The raw body. An already-parsed object fails with `body_was_parsed`. */
  payload: WebhookPayload;
  /** The request headers (`Headers`, `IncomingHttpHeaders` or a plain object; names in any case). */
  headers: WebhookHeaders;
}
