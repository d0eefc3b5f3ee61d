import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * A recognisable but harmless form of an API key for admin answers and logs: `sk_t…ggapi` (the
 * first four and last five characters). Keys too short to hide that way show only their first
 * two characters and a short hash (`sk…#3fa9c1`). Among several keys, use `keyFingerprints`,
 * which keeps them apart.
 */
export function keyFingerprint(key: string): string {
  return key.length >= 12
    ? `${key.slice(0, 4)}…${key.slice(-5)}`
    : withHash(`${key.slice(0, 2)}…`, key, 6);
}

/**
 * The fingerprint of each key, unique among `keys` and the same for the same configuration: keys
 * whose `keyFingerprint` would be the same get a short hash of the key appended (`sk_t…ggapi#a1b2c3`),
 * as long as it takes to tell them apart.
 */
export function keyFingerprints(keys: readonly string[]): Map<string, string> {
  const unique = [...new Set(keys)];
  const result = new Map(unique.map((key) => [key, keyFingerprint(key)]));
  for (let hexDigits = 6; hexDigits <= 64; hexDigits += 4) {
    const seen = new Map<string, number>();
    for (const shown of result.values()) seen.set(shown, (seen.get(shown) ?? 0) + 1);
    const clashing = unique.filter((key) => seen.get(result.get(key)!)! > 1);
    if (clashing.length === 0) break;
    for (const key of clashing) result.set(key, withHash(keyFingerprint(key), key, hexDigits));
  }
  return result;
}

/**
 * The name a key's tasks, balances and idempotency keys are stored under: a keyed hash (HMAC-
 * SHA-256 with the store's `salt`), so no raw API key is kept at rest or in Redis key names.
 */
export function ownerIdOf(salt: string, key: string): string {
  return `own_${bytesToHex(hmac(sha256, utf8ToBytes(salt), utf8ToBytes(key))).slice(0, 32)}`;
}

function withHash(shown: string, key: string, hexDigits: number): string {
  const base = shown.replace(/#[0-9a-f]+$/, '');
  return `${base}#${bytesToHex(sha256(utf8ToBytes(key))).slice(0, hexDigits)}`;
}
