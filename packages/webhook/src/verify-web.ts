import type { WebhookEvent } from '@eggapi/contracts';
import type { VerifyWebhookOptions } from './options.js';
import { signatureMatchesWeb } from './internal/web-hmac.js';
import { completeDelivery, prepareDelivery } from './internal/verify.js';

/**
 * Verifies an EggAPI webhook delivery and resolves to its typed event (Web Crypto). Same checks
 * and options as the node `verifyWebhook`.
 *
 * @throws {WebhookVerificationError} (as a rejection) when the delivery must be refused.
 * @throws {TypeError | RangeError} (as a rejection) when the options themselves are wrong.
 */
export async function verifyWebhook(options: VerifyWebhookOptions): Promise<WebhookEvent> {
  const prepared = prepareDelivery(options);
  const matches = prepared.check ? await signatureMatchesWeb(prepared.check) : false;
  return completeDelivery(prepared, matches);
}
