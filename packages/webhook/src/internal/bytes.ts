// Byte helpers that need no Buffer, so the Web Crypto entry can share them.

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hex of `bytes`. */
export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += HEX[byte]!;
  return out;
}

/**
 * The 64 hex digits that run from `start` to the end of `text`, lower-cased (the case HMAC
 * digests are compared in); `undefined` when the run is not exactly 64 hex digits.
 */
export function hexDigestAt(text: string, start: number): string | undefined {
  if (text.length - start !== 64) return undefined;
  let upper = false;
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) continue; // 0-9
    const lower = code | 32;
    if (lower < 97 || lower > 102) return undefined; // not a-f / A-F
    if (code !== lower) upper = true;
  }
  const hex = text.slice(start);
  return upper ? hex.toLowerCase() : hex;
}

/** The concatenation of `parts` (strings as UTF-8) in one new array. */
export function concatBytes(parts: readonly (string | Uint8Array)[]): Uint8Array<ArrayBuffer> {
  const arrays = parts.map((part) => (typeof part === 'string' ? utf8(part) : part));
  const out = new Uint8Array(arrays.reduce((size, array) => size + array.length, 0));
  let offset = 0;
  for (const array of arrays) {
    out.set(array, offset);
    offset += array.length;
  }
  return out;
}

/**
 * Equality of two strings in time that depends only on their length, not their contents (the
 * comparison Stripe's SDK uses for its hex signatures). For equal-length ASCII such as hex digests.
 */
export function constantTimeEqualText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

const encoder = new TextEncoder();

/** UTF-8 bytes of `text`. */
export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}
