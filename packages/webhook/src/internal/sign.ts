import {
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_SIGNATURE_PREFIX,
  WEBHOOK_TIMESTAMP_HEADER,
} from '@eggapi/contracts';
import type { WebhookSignatureHeaders } from '../headers.js';
import { checkSecret, checkTimestamp } from './config.js';
import { signedContent, type SignedContent } from './verify.js';

// The signing side, shared by both entries; each supplies only its HMAC.

export interface SigningInput {
  secret: string;
  timestampText: string;
  content: SignedContent;
}

/** Checks the arguments of `signWebhook` / `computeSignature`; throws `TypeError`/`RangeError`. */
export function signingInput(payload: unknown, secret: unknown, timestamp: unknown): SigningInput {
  if (typeof payload !== 'string' && !(payload instanceof Uint8Array)) {
    throw new TypeError('eggapi webhook: the payload to sign must be a string or a Uint8Array.');
  }
  const seconds =
    timestamp === undefined ? Math.floor(Date.now() / 1000) : checkTimestamp(timestamp);
  const timestampText = String(seconds);
  return {
    secret: checkSecret(secret),
    timestampText,
    content: signedContent(timestampText, payload),
  };
}

/** `sha256=<hex>` from a hex digest. */
export function signatureValue(hexDigest: string): string {
  return WEBHOOK_SIGNATURE_PREFIX + hexDigest;
}

/** The two delivery headers. */
export function signatureHeaders(
  timestampText: string,
  hexDigest: string,
): WebhookSignatureHeaders {
  return {
    [WEBHOOK_TIMESTAMP_HEADER]: timestampText,
    [WEBHOOK_SIGNATURE_HEADER]: signatureValue(hexDigest),
  };
}
