import type { WebhookEvent } from '@eggapi/contracts';
import type { VerifyWebhookOptions } from './options.js';
import { signatureMatchesNode } from './internal/node-hmac.js';
import { completeDelivery, prepareDelivery } from './internal/verify.js';

/**
 * Verifies an EggAPI webhook delivery and returns its typed event (node:crypto, synchronous).
 *
 * Checks, in order: the payload is raw bytes or a string; `X-EggAPI-Signature` is present
 * (unless `allowUnsigned`) and `X-EggAPI-Timestamp` holds Unix seconds; the signature is one or
 * more `sha256=<hex>` values and one of them is the HMAC-SHA256 of `{timestamp}.{raw_body}` under
 * one of the secrets (constant-time); the timestamp is within `tolerance` (default 300 s) of
 * `now`; the body is JSON matching `WebhookEventSchema`.
 *
 * @throws {WebhookVerificationError} when the delivery must be refused (see `reason`).
 * @throws {TypeError | RangeError} when the options themselves are wrong (empty or padded secret,
 *   negative tolerance, a clock that returns no time).
 */
export function verifyWebhook(options: VerifyWebhookOptions): WebhookEvent {
  const prepared = prepareDelivery(options);
  return completeDelivery(prepared, prepared.check ? signatureMatchesNode(prepared.check) : false);
}
