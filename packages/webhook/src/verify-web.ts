import type { WebhookEvent } from '@eggapi/contracts';
import type { VerifyWebhookOptions } from './options.js';
import { checkDelivery, readDelivery, type Delivery } from './internal/verify.js';
import { parseEvent } from './internal/payload.js';
import { hexToBytes, hmacKey, signedBytes } from './internal/web-crypto.js';

/**
 * Verifies an EggAPI webhook delivery and resolves to its typed event (Web Crypto). Same checks
 * and options as the node `verifyWebhook`.
 *
 * @throws {WebhookVerificationError} (as a rejection) when the delivery must be refused.
 * @throws {TypeError | RangeError} (as a rejection) when the options themselves are wrong.
 */
export async function verifyWebhook(options: VerifyWebhookOptions): Promise<WebhookEvent> {
  return parseEvent(await verifiedBody(options));
}

/**
 * Checks the signature and the timestamp of a delivery, not its body (Web Crypto). Same checks
 * and options as the node `verifyWebhookSignature`.
 *
 * @throws {WebhookVerificationError} (as a rejection) any reason but `invalid_payload`.
 * @throws {TypeError | RangeError} (as a rejection) when the options themselves are wrong.
 */
export async function verifyWebhookSignature(options: VerifyWebhookOptions): Promise<void> {
  await verifiedBody(options);
}

async function verifiedBody(options: VerifyWebhookOptions): Promise<string | Uint8Array> {
  const delivery = readDelivery(options);
  checkDelivery(delivery, await signatureMatches(delivery));
  return delivery.body;
}

/** `crypto.subtle.verify` compares in constant time. */
async function signatureMatches({ secrets, prefix, body, signatures }: Delivery) {
  if (!signatures) return false;
  const data = signedBytes(prefix, body);
  for (const secret of secrets) {
    const key = await hmacKey(secret, 'verify');
    for (const hex of signatures) {
      if (await crypto.subtle.verify('HMAC', key, hexToBytes(hex), data)) return true;
    }
  }
  return false;
}
