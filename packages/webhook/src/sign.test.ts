import { describe, expect, it } from 'vitest';
import {
  ENTRIES,
  SECRET,
  SPEC_COMPLETED_BODY,
  SPEC_FAILED_BODY,
  TIMESTAMP,
  referenceSignature,
} from '../test/support/deliveries.js';

// Exact hex computed once with `openssl dgst -sha256 -hmac whsec_test_secret` over
// "1778217000.<body>", and again below with node:crypto: the code under test computes neither.
const VECTORS = [
  {
    name: 'the spec completed payload',
    body: SPEC_COMPLETED_BODY,
    hex: '7a025abb38666d951138850e0898c9a10137a8b8fa91a2c029ec9b95893e7a59',
  },
  {
    name: 'the spec failed payload',
    body: SPEC_FAILED_BODY,
    hex: 'eab127d1787eeab900bdbba67101bc21b41c00a9accb7b92c1c4866b88ab04a4',
  },
  {
    name: 'an empty object',
    body: '{}',
    hex: 'fb57e2de95990f49c3e4592e6f7cf18dbab4f34ead5f42e9070700aad95ff698',
  },
];

describe('known-answer vectors', () => {
  it.each(VECTORS)('node:crypto reference gives the recorded hex for $name', ({ body, hex }) => {
    expect(referenceSignature(SECRET, TIMESTAMP, body)).toBe(`sha256=${hex}`);
  });

  describe.each(ENTRIES)('$name entry', (entry) => {
    it.each(VECTORS)('signs $name to the exact hex', async ({ body, hex }) => {
      expect(await entry.sign(body, SECRET, TIMESTAMP)).toEqual({
        'X-EggAPI-Timestamp': String(TIMESTAMP),
        'X-EggAPI-Signature': `sha256=${hex}`,
      });
      expect(await entry.computeSignature(body, SECRET, TIMESTAMP)).toBe(`sha256=${hex}`);
    });

    it.each(VECTORS)('signs the bytes of $name like the string', async ({ body, hex }) => {
      const bytes = new TextEncoder().encode(body);
      expect(await entry.computeSignature(bytes, SECRET, TIMESTAMP)).toBe(`sha256=${hex}`);
    });

    it('signs multi-byte UTF-8 bodies over their UTF-8 bytes', async () => {
      const body = '{"prompt":"café ☕ 日本"}';
      expect(await entry.computeSignature(body, SECRET, TIMESTAMP)).toBe(
        referenceSignature(SECRET, TIMESTAMP, Buffer.from(body, 'utf8')),
      );
    });

    it('stamps the current Unix second when no timestamp is given', async () => {
      const before = Math.floor(Date.now() / 1000);
      const headers = await entry.sign('{}', SECRET);
      const after = Math.floor(Date.now() / 1000);
      const stamped = Number(headers['X-EggAPI-Timestamp']);
      expect(stamped).toBeGreaterThanOrEqual(before);
      expect(stamped).toBeLessThanOrEqual(after);
      expect(headers['X-EggAPI-Signature']).toBe(referenceSignature(SECRET, stamped, '{}'));
    });

    it.each([
      ['an empty secret', '', TIMESTAMP, TypeError],
      ['a secret with a trailing newline', `${SECRET}\n`, TIMESTAMP, TypeError],
      ['a secret with a leading space', ` ${SECRET}`, TIMESTAMP, TypeError],
      ['a negative timestamp', SECRET, -1, RangeError],
      ['a fractional timestamp', SECRET, 1.5, RangeError],
      ['a timestamp in milliseconds that is not safe', SECRET, 2 ** 53, RangeError],
    ])('refuses to sign with %s', async (_name, secret, timestamp, kind) => {
      await expect(entry.sign('{}', secret, timestamp)).rejects.toThrow(kind);
    });

    it('refuses to sign an object instead of the body text', async () => {
      await expect(entry.sign({} as unknown as string, SECRET, TIMESTAMP)).rejects.toThrow(
        TypeError,
      );
    });
  });
});
