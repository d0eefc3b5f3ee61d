import { createHmac, timingSafeEqual } from 'node:crypto';
import { WEBHOOK_SIGNATURE_ALGORITHM } from '@eggapi/contracts';
import type { SignatureCheck } from './verify.js';

/** HMAC-SHA256 of `content` keyed with the UTF-8 bytes of `secret` (node:crypto, synchronous). */
export function hmacNode(secret: string, content: string | Uint8Array): Uint8Array {
  return createHmac(WEBHOOK_SIGNATURE_ALGORITHM, secret).update(content).digest();
}

/** Whether any secret produced any of the header's digests; compares in constant time. */
export function signatureMatchesNode({ secrets, content, signatures }: SignatureCheck): boolean {
  return secrets.some((secret) => {
    const digest = hmacNode(secret, content);
    return signatures.some(
      (candidate) => candidate.length === digest.length && timingSafeEqual(candidate, digest),
    );
  });
}
