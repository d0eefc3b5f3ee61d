import { createHmac } from 'node:crypto';
import { WEBHOOK_SIGNATURE_PREFIX } from '@eggapi/contracts';
import type { WebhookSignatureHeaders } from './headers.js';
import { signatureHeaders, signingInput, type SigningInput } from './internal/sign.js';

/**
 * Signs a payload the way EggAPI does and returns the two delivery headers (node:crypto,
 * synchronous): `X-EggAPI-Timestamp` and `X-EggAPI-Signature: sha256=<hex>`. For the mock server
 * and for receivers' own tests.
 *
 * @param payload - the exact body that will be sent.
 * @param secret - the webhook secret.
 * @param timestamp - Unix seconds; default: now.
 * @throws {TypeError | RangeError} on an empty or padded secret, a non-integer timestamp or a
 *   payload that is neither a string nor bytes.
 */
export function signWebhook(
  payload: string | Uint8Array,
  secret: string,
  timestamp?: number,
): WebhookSignatureHeaders {
  const input = signingInput(payload, secret, timestamp);
  return signatureHeaders(input.timestamp, hmacHex(input));
}

/**
 * The `X-EggAPI-Signature` value (`sha256=<hex>`) for a payload and timestamp (node:crypto).
 *
 * @throws {TypeError | RangeError} as {@link signWebhook}.
 */
export function computeSignature(
  payload: string | Uint8Array,
  secret: string,
  timestamp: number,
): string {
  return WEBHOOK_SIGNATURE_PREFIX + hmacHex(signingInput(payload, secret, timestamp));
}

function hmacHex({ secret, prefix, payload }: SigningInput): string {
  return createHmac('sha256', secret).update(prefix).update(payload).digest('hex');
}
