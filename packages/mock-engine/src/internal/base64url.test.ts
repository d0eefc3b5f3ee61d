import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64url } from './base64url.js';

describe('base64url', () => {
  it.each([
    ['', ''],
    ['f', 'Zg'],
    ['fo', 'Zm8'],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg'],
    ['fooba', 'Zm9vYmE'],
    ['foobar', 'Zm9vYmFy'],
  ])('encodes %j as %j (RFC 4648 test vectors, unpadded)', (text, encoded) => {
    expect(base64url(new TextEncoder().encode(text))).toBe(encoded);
  });

  it("matches Node's base64url for any bytes (the - and _ of the URL alphabet included)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(base64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
      }),
    );
  });
});
