import { WEBHOOK_SIGNATURE_PREFIX } from '@eggapi/contracts';
import type { WebhookSignatureHeaders } from './headers.js';
import { signatureHeaders, signingInput, type SigningInput } from './internal/sign.js';
import { bytesToHex, hmacKey, signedBytes } from './internal/web-crypto.js';

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
  return signatureHeaders(input.timestamp, await hmacHex(input));
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
  return WEBHOOK_SIGNATURE_PREFIX + (await hmacHex(signingInput(payload, secret, timestamp)));
}

async function hmacHex({ secret, prefix, payload }: SigningInput): Promise<string> {
  const key = await hmacKey(secret, 'sign');
  return bytesToHex(await crypto.subtle.sign('HMAC', key, signedBytes(prefix, payload)));
}
