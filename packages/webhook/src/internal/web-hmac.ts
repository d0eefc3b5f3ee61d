import { bytesToHex, concatBytes, constantTimeEqualText, utf8 } from './bytes.js';
import type { SignatureCheck, SignedContent } from './verify.js';

// Importing a key costs more than the HMAC itself on small bodies: keep the few secrets in use.
const MAX_CACHED_KEYS = 16;
// Spelled through `crypto.subtle` rather than the DOM's `CryptoKey`, so that Node-typed programs
// that import the main entry (which re-exports verifyRequest) type-check too.
type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
const keys = new Map<string, Promise<HmacKey>>();

function hmacKey(secret: string): Promise<HmacKey> {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= MAX_CACHED_KEYS) keys.clear();
    key = crypto.subtle.importKey('raw', utf8(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    keys.set(secret, key);
  }
  return key;
}

/** Lower-case hex HMAC-SHA256 of `content` keyed with the UTF-8 bytes of `secret` (Web Crypto). */
export async function hmacWeb(secret: string, content: SignedContent): Promise<string> {
  const data = concatBytes(content);
  return bytesToHex(new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), data)));
}

/** Whether any secret produced any of the header's digests; compares in constant time. */
export async function signatureMatchesWeb({
  secrets,
  content,
  signatures,
}: SignatureCheck): Promise<boolean> {
  for (const secret of secrets) {
    const digest = await hmacWeb(secret, content);
    if (signatures.some((candidate) => constantTimeEqualText(candidate, digest))) return true;
  }
  return false;
}
