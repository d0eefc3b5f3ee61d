import type { WebhookSignatureHeaders } from './headers.js';
import { hmacWeb } from './internal/web-hmac.js';
import { signatureHeaders, signatureValue, signingInput } from './internal/sign.js';

/**
 * Signs a payload the way EggAPI does and resolves to the two delivery headers (Web Crypto).
 *
 * @param timestamp - Unix seconds; default: now.
 * @throws {TypeError | RangeError} (as a rejection) on a bad secret, timestamp or payload.
 */
export async function signWebhook(
  payload: string | Uint8Array,
  secret: string,
  timestamp?: number,
): Promise<WebhookSignatureHeaders> {
  const input = signingInput(payload, secret, timestamp);
  return signatureHeaders(input.timestampText, await hmacWeb(input.secret, input.content));
}

/**
 * The `X-EggAPI-Signature` value (`sha256=<hex>`) for a payload and timestamp (Web Crypto).
 *
 * @throws {TypeError | RangeError} (as a rejection) as {@link signWebhook}.
 */
export async function computeSignature(
  payload: string | Uint8Array,
  secret: string,
  timestamp: number,
): Promise<string> {
  const input = signingInput(payload, secret, timestamp);
  return signatureValue(await hmacWeb(input.secret, input.content));
}
