import {
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_SIGNATURE_PREFIX,
  WEBHOOK_TIMESTAMP_HEADER,
  webhookSignedContent,
} from '@eggapi/contracts';
import type { WebhookSignatureHeaders } from '../headers.js';
import { checkSecret, checkTimestamp } from './config.js';

// The signing side, shared by both entries; each supplies only its HMAC.

export interface SigningInput {
  secret: string;
  timestamp: string;
  /** What is signed is `{prefix}{payload}`, `prefix` being `{timestamp}.`. */
  prefix: string;
  payload: string | Uint8Array;
}

/** Checks the arguments of `signWebhook` / `computeSignature`; throws `TypeError`/`RangeError`. */
export function signingInput(payload: unknown, secret: unknown, timestamp: unknown): SigningInput {
  if (typeof payload !== 'string' && !(payload instanceof Uint8Array)) {
    throw new TypeError('eggapi webhook: the payload to sign must be a string or a Uint8Array.');
  }
  const seconds = String(
    timestamp === undefined ? Math.floor(Date.now() / 1000) : checkTimestamp(timestamp),
  );
  const prefix = webhookSignedContent(seconds, '');
  return { secret: checkSecret(secret), timestamp: seconds, prefix, payload };
}

/** The two delivery headers from the timestamp and a hex digest. */
export function signatureHeaders(timestamp: string, hexDigest: string): WebhookSignatureHeaders {
  return {
    [WEBHOOK_TIMESTAMP_HEADER]: timestamp,
    [WEBHOOK_SIGNATURE_HEADER]: WEBHOOK_SIGNATURE_PREFIX + hexDigest,
  };
}
