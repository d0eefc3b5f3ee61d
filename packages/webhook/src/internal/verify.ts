import {
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_SIGNATURE_PREFIX,
  WEBHOOK_TIMESTAMP_HEADER,
  webhookSignedContent,
  type WebhookEvent,
} from '@eggapi/contracts';
import { WebhookVerificationError } from '../errors.js';
import { readHeader } from '../headers.js';
import type { VerifyWebhookOptions } from '../options.js';
import { hexDigestAt } from './bytes.js';
import { currentSeconds, secretList, toleranceSeconds } from './config.js';
import { parseEvent, rawBody } from './payload.js';

/**
 * The algorithm, shared by the node and Web Crypto entries: `prepareDelivery` does every check
 * that needs no HMAC, the entry computes `signatureMatches` with its own primitive, and
 * `completeDelivery` does the rest. Only the HMAC differs between runtimes.
 */

/** Most `sha256=` values accepted in one signature header (bounds the HMAC work per request). */
const MAX_SIGNATURES = 8;
const UNIX_SECONDS = /^\d{1,12}$/;
/** Node's lower-case spelling is the common case: looked up first, without a case-insensitive scan. */
const SIGNATURE_HEADER = WEBHOOK_SIGNATURE_HEADER.toLowerCase();
const TIMESTAMP_HEADER = WEBHOOK_TIMESTAMP_HEADER.toLowerCase();
/** Length of one `sha256=<64 hex>` value: a header of exactly this length is a single value. */
const SINGLE_SIGNATURE_LENGTH = WEBHOOK_SIGNATURE_PREFIX.length + 64;
const NO_SECRETS: readonly string[] = [];

/** What the signature check needs. */
export interface SignatureCheck {
  secrets: readonly string[];
  /** What was signed, `{timestamp}.{raw_body}`, in two parts so the body is never copied. */
  content: SignedContent;
  /** The candidate digests from the header: 64 lower-case hex digits each. */
  signatures: readonly string[];
}

export interface PreparedDelivery {
  /** `undefined` when the delivery is unsigned and `allowUnsigned` let it through. */
  check: SignatureCheck | undefined;
  body: string | Uint8Array;
  timestamp: number;
  tolerance: number;
  nowSeconds: number;
}

/** Validates the configuration and the request up to the HMAC. Throws the early reasons. */
export function prepareDelivery(options: VerifyWebhookOptions): PreparedDelivery {
  const { payload, headers, secret, tolerance, now, allowUnsigned = false } = options ?? {};
  // Unsigned deliveries are accepted only on explicit request, and then no secret is needed.
  const secrets = allowUnsigned === true && secret === undefined ? NO_SECRETS : secretList(secret);
  const toleranceSec = toleranceSeconds(tolerance);
  const nowSeconds = currentSeconds(now);
  const body = rawBody(payload);

  const signatureText = readHeader(headers, SIGNATURE_HEADER)?.trim();
  if (!signatureText && allowUnsigned !== true) {
    throw new WebhookVerificationError(
      'missing_signature',
      `The ${WEBHOOK_SIGNATURE_HEADER} header is missing. EggAPI sends it once your account has a ` +
        'webhook secret; set one, or pass allowUnsigned: true to accept unsigned deliveries.',
    );
  }
  const timestampText = readTimestamp(headers);
  const timestamp = Number(timestampText);
  const check = signatureText
    ? {
        secrets,
        content: signedContent(timestampText, body),
        signatures: parseSignatures(signatureText),
      }
    : undefined;
  return { check, body, timestamp, tolerance: toleranceSec, nowSeconds };
}

/** Throws the late reasons (mismatch, clock window, payload) or returns the typed event. */
export function completeDelivery(
  prepared: PreparedDelivery,
  signatureMatches: boolean,
): WebhookEvent {
  checkSignatureAndTime(prepared, signatureMatches);
  return parseEvent(prepared.body);
}

/** Throws the late reasons that need no payload parsing: mismatch and the clock window. */
export function checkSignatureAndTime(prepared: PreparedDelivery, signatureMatches: boolean): void {
  if (prepared.check && !signatureMatches) {
    throw new WebhookVerificationError(
      'signature_mismatch',
      'The signature does not match. Check the secret, and pass the raw request body exactly as ' +
        'received, not the parsed JSON (express: use the eggapiWebhook middleware or express.raw()).',
    );
  }
  const age = prepared.nowSeconds - prepared.timestamp;
  if (age > prepared.tolerance) {
    throw new WebhookVerificationError(
      'timestamp_too_old',
      `The delivery was signed ${age} s ago, more than the tolerance of ${prepared.tolerance} s ` +
        '(a replay, or this server clock is behind).',
    );
  }
  if (-age > prepared.tolerance) {
    throw new WebhookVerificationError(
      'timestamp_in_future',
      `The delivery is timestamped ${-age} s in the future, more than the tolerance of ` +
        `${prepared.tolerance} s (this server clock is probably behind; sync it with NTP).`,
    );
  }
}

/**
 * The signed content `{timestamp}.{raw_body}` as `[prefix, body]`: the spec's string with the body
 * kept as received (bytes are hashed as they are, never decoded and re-encoded).
 */
export type SignedContent = readonly [prefix: string, body: string | Uint8Array];

/** {@link SignedContent} for a timestamp and a raw body. */
export function signedContent(timestampText: string, body: string | Uint8Array): SignedContent {
  return [webhookSignedContent(timestampText, ''), body];
}

function readTimestamp(headers: unknown): string {
  const text = readHeader(headers, TIMESTAMP_HEADER)?.trim();
  if (!text || !UNIX_SECONDS.test(text)) {
    throw new WebhookVerificationError(
      'missing_timestamp',
      `The ${WEBHOOK_TIMESTAMP_HEADER} header is ${text ? 'not whole Unix seconds' : 'missing'}; ` +
        'pass the request headers as received.',
    );
  }
  return text;
}

/**
 * The digests of a signature header: one or more `sha256=<64 hex>` values separated by commas or
 * whitespace. Values with another scheme are ignored (room for a future algorithm); at least one
 * well-formed `sha256=` value is required.
 */
function parseSignatures(header: string): string[] {
  // The common case, one value, without splitting.
  if (header.length === SINGLE_SIGNATURE_LENGTH && header.startsWith(WEBHOOK_SIGNATURE_PREFIX)) {
    const digest = hexDigestAt(header, WEBHOOK_SIGNATURE_PREFIX.length);
    if (digest) return [digest];
  }
  const values = header.split(/[\s,]+/).filter(Boolean);
  const digests: string[] = [];
  if (values.length <= MAX_SIGNATURES) {
    for (const value of values) {
      if (value.length !== SINGLE_SIGNATURE_LENGTH) continue;
      if (!value.startsWith(WEBHOOK_SIGNATURE_PREFIX)) continue;
      const digest = hexDigestAt(value, WEBHOOK_SIGNATURE_PREFIX.length);
      if (digest) digests.push(digest);
    }
  }
  if (digests.length === 0) {
    throw new WebhookVerificationError(
      'malformed_signature',
      `The ${WEBHOOK_SIGNATURE_HEADER} header holds no valid "${WEBHOOK_SIGNATURE_PREFIX}<64 hex digits>" ` +
        `value (at most ${MAX_SIGNATURES} values, separated by commas or spaces).`,
    );
  }
  return digests;
}
