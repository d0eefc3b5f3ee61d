import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookEvent } from '@eggapi/contracts';
import type { VerifyWebhookOptions } from './options.js';
import { checkDelivery, readDelivery, type Delivery } from './internal/verify.js';
import { parseEvent } from './internal/payload.js';

/**
 * Verifies an EggAPI webhook delivery and returns its typed event (node:crypto, synchronous).
 *
 * Checks, in order: the payload is raw bytes or a string; `X-EggAPI-Signature` is present
 * (unless `allowUnsigned`) and `X-EggAPI-Timestamp` holds Unix seconds; the signature is one or
 * more `sha256=<hex>` values and one of them is the HMAC-SHA256 of `{timestamp}.{raw_body}` under
 * one of the secrets (constant-time); the timestamp is within `tolerance` (default 300 s) of
 * `now`; the body is JSON matching `WebhookEventSchema` (checked by the contracts' `checkWebhookEvent`).
 *
 * @throws {WebhookVerificationError} when the delivery must be refused (see `reason`).
 * @throws {TypeError | RangeError} when the options themselves are wrong (empty or padded secret,
 *   negative tolerance, a clock that returns no time).
 */
export function verifyWebhook(options: VerifyWebhookOptions): WebhookEvent {
  return parseEvent(verifiedBody(options));
}

/**
 * Checks the signature and the timestamp of a delivery, and nothing of its body: every check of
 * {@link verifyWebhook} except the last (JSON matching `WebhookEventSchema`), like Stripe's
 * `webhooks.signature.verifyHeader`. For receivers that parse the body themselves or only
 * forward it; returns nothing, throws on a delivery to refuse.
 *
 * @throws {WebhookVerificationError} any reason of {@link verifyWebhook} but `invalid_payload`.
 * @throws {TypeError | RangeError} when the options themselves are wrong.
 */
export function verifyWebhookSignature(options: VerifyWebhookOptions): void {
  verifiedBody(options);
}

function verifiedBody(options: VerifyWebhookOptions): string | Uint8Array {
  const delivery = readDelivery(options);
  checkDelivery(delivery, signatureMatches(delivery));
  return delivery.body;
}

function signatureMatches({ secrets, prefix, body, signatures }: Delivery): boolean {
  if (!signatures) return false;
  const candidates = signatures.map((hex) => Buffer.from(hex, 'hex'));
  return secrets.some((secret) => {
    const digest = createHmac('sha256', secret).update(prefix).update(body).digest();
    return candidates.some((candidate) => timingSafeEqual(candidate, digest));
  });
}
