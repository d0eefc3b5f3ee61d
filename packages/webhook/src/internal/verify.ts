import {
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_SIGNATURE_PREFIX,
  WEBHOOK_TIMESTAMP_HEADER,
  webhookSignedContent,
} from '@eggapi/contracts';
import { WebhookVerificationError } from '../errors.js';
import { readHeader } from '../headers.js';
import type { VerifyWebhookOptions } from '../options.js';
import { currentSeconds, secretList, toleranceSeconds } from './config.js';
import { rawBody } from './payload.js';

// The algorithm, shared by the node and Web Crypto entries: `readDelivery` does every check that
// needs no HMAC, the entry computes the HMAC with its own primitive, `checkDelivery` does the rest.

/** Most `sha256=` values accepted in one signature header (bounds the HMAC work per request). */
const MAX_SIGNATURES = 8;
const SIGNATURE = new RegExp(`^${WEBHOOK_SIGNATURE_PREFIX}[0-9a-fA-F]{64}$`);

/** A delivery read from the options and headers, all checked but the HMAC and the clock window. */
export interface Delivery {
  secrets: readonly string[];
  /** What was signed is `{prefix}{body}`, `prefix` being `{timestamp}.`; the body as received. */
  prefix: string;
  body: string | Uint8Array;
  /** The header's hex digests; `undefined` when unsigned and `allowUnsigned` let it through. */
  signatures: string[] | undefined;
  timestamp: number;
  tolerance: number;
  now: number;
}

/** Validates the configuration and the request up to the HMAC. Throws the early reasons. */
export function readDelivery(options: VerifyWebhookOptions): Delivery {
  const { payload, headers, secret, tolerance, now, allowUnsigned = false } = options ?? {};
  // Unsigned deliveries are accepted only on explicit request, and then no secret is needed.
  const secrets = allowUnsigned === true && secret === undefined ? [] : secretList(secret);
  const toleranceSec = toleranceSeconds(tolerance);
  const nowSec = currentSeconds(now);
  const body = rawBody(payload);
  const signature = readHeader(headers, WEBHOOK_SIGNATURE_HEADER)?.trim();
  if (!signature && allowUnsigned !== true) {
    throw new WebhookVerificationError(
      'missing_signature',
      `The ${WEBHOOK_SIGNATURE_HEADER} header is missing. EggAPI sends it once your account has a ` +
        'webhook secret; set one, or pass allowUnsigned: true to accept unsigned deliveries.',
    );
  }
  const timestamp = readHeader(headers, WEBHOOK_TIMESTAMP_HEADER)?.trim();
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) {
    throw new WebhookVerificationError(
      'missing_timestamp',
      `The ${WEBHOOK_TIMESTAMP_HEADER} header is ${timestamp ? 'not whole Unix seconds' : 'missing'}; ` +
        'pass the request headers as received.',
    );
  }
  const signatures = signature ? parseSignatures(signature) : undefined;
  const prefix = webhookSignedContent(timestamp, '');
  return {
    secrets,
    prefix,
    body,
    signatures,
    timestamp: Number(timestamp),
    tolerance: toleranceSec,
    now: nowSec,
  };
}

/** Throws the late reasons that need no payload parsing: mismatch and the clock window. */
export function checkDelivery(delivery: Delivery, signatureMatches: boolean): void {
  if (delivery.signatures && !signatureMatches) {
    throw new WebhookVerificationError(
      'signature_mismatch',
      'The signature does not match. Check the secret, and pass the raw request body exactly as ' +
        'received, not the parsed JSON (express: use the eggapiWebhook middleware or express.raw()).',
    );
  }
  const { now, timestamp, tolerance } = delivery;
  if (now - timestamp > tolerance) {
    throw new WebhookVerificationError(
      'timestamp_too_old',
      `The delivery was signed ${now - timestamp} s ago, more than the tolerance of ${tolerance} s ` +
        '(a replay, or this server clock is behind).',
    );
  }
  if (timestamp - now > tolerance) {
    throw new WebhookVerificationError(
      'timestamp_in_future',
      `The delivery is timestamped ${timestamp - now} s in the future, more than the tolerance of ` +
        `${tolerance} s (this server clock is probably behind; sync it with NTP).`,
    );
  }
}

/**
 * The hex digests of a signature header: one or more `sha256=<64 hex>` values separated by commas
 * or whitespace. Other values are ignored (room for a future algorithm); one is required.
 */
function parseSignatures(header: string): string[] {
  const values = header.split(/[\s,]+/).filter(Boolean);
  const valid = values.length > MAX_SIGNATURES ? [] : values.filter((v) => SIGNATURE.test(v));
  if (valid.length === 0) {
    throw new WebhookVerificationError(
      'malformed_signature',
      `The ${WEBHOOK_SIGNATURE_HEADER} header holds no valid "${WEBHOOK_SIGNATURE_PREFIX}<64 hex digits>" ` +
        `value (at most ${MAX_SIGNATURES} values, separated by commas or spaces).`,
    );
  }
  return valid.map((value) => value.slice(WEBHOOK_SIGNATURE_PREFIX.length));
}
