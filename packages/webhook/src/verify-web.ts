import type { WebhookEvent } from '@eggapi/contracts';
import type { VerifyWebhookOptions } from './options.js';
import { signatureMatchesWeb } from './internal/web-hmac.js';
import {
  checkSignatureAndTime,
  completeDelivery,
  prepareDelivery,
  type PreparedDelivery,
} from './internal/verify.js';

/**
 * Verifies an EggAPI webhook delivery and resolves to its typed event (Web Crypto). Same checks
 * and options as the node `verifyWebhook`.
 *
 * @throws {WebhookVerificationError} (as a rejection) when the delivery must be refused.
 * @throws {TypeError | RangeError} (as a rejection) when the options themselves are wrong.
 */
export async function verifyWebhook(options: VerifyWebhookOptions): Promise<WebhookEvent> {
  const prepared = prepareDelivery(options);
  return completeDelivery(prepared, await signatureMatches(prepared));
}

/**
 * Checks the signature and the timestamp of a delivery, not its body (Web Crypto). Same checks
 * and options as the node `verifyWebhookSignature`.
 *
 * @throws {WebhookVerificationError} (as a rejection) any reason but `invalid_payload`.
 * @throws {TypeError | RangeError} (as a rejection) when the options themselves are wrong.
 */
export async function verifyWebhookSignature(options: VerifyWebhookOptions): Promise<void> {
  const prepared = prepareDelivery(options);
  checkSignatureAndTime(prepared, await signatureMatches(prepared));
}

async function signatureMatches(prepared: PreparedDelivery): Promise<boolean> {
  return prepared.check ? signatureMatchesWeb(prepared.check) : false;
}
