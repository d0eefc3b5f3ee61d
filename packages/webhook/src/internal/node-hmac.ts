import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { WEBHOOK_SIGNATURE_ALGORITHM } from '@eggapi/contracts';
import { constantTimeEqualText, utf8 } from './bytes.js';
import type { SignatureCheck, SignedContent } from './verify.js';

// A KeyObject saves re-reading the key on every HMAC (about a third of its cost on small
// bodies): keep the few secrets in use.
const MAX_CACHED_KEYS = 16;
const keys = new Map<string, KeyObject>();

function hmacKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= MAX_CACHED_KEYS) keys.clear();
    key = createSecretKey(utf8(secret));
    keys.set(secret, key);
  }
  return key;
}

/**
 * Lower-case hex HMAC-SHA256 of `content` keyed with the UTF-8 bytes of `secret` (node:crypto,
 * synchronous). Hex straight from OpenSSL: a digest Buffer costs more to allocate than the
 * 64-character string.
 */
export function hmacNode(secret: string, [prefix, body]: SignedContent): string {
  return createHmac(WEBHOOK_SIGNATURE_ALGORITHM, hmacKey(secret))
    .update(prefix)
    .update(body)
    .digest('hex');
}

/** Whether any secret produced any of the header's digests; compares in constant time. */
export function signatureMatchesNode({ secrets, content, signatures }: SignatureCheck): boolean {
  for (const secret of secrets) {
    const digest = hmacNode(secret, content);
    for (const candidate of signatures) {
      if (constantTimeEqualText(candidate, digest)) return true;
    }
  }
  return false;
}
