import { describe, expect, it } from 'vitest';
import {
  ENTRIES,
  SECRET,
  SPEC_COMPLETED_BODY,
  TIMESTAMP,
  referenceSignature,
  signedDelivery,
} from '../test/support/deliveries.js';
import { GOOD, delivery, sig } from '../test/support/failures.js';

// Edges of the signature header and of the signed bytes that the plain verifier (one regex per
// value; Buffer / Web Crypto for the bytes) must keep exactly as the hand-written one did.
const OTHER = `sha256=${'ab'.repeat(32)}`;

describe.each(ENTRIES)('the signature header ($name entry)', (entry) => {
  const reasonOf = (options: Parameters<typeof entry.verify>[0]) =>
    entry.verify(options).then(
      () => 'accepted',
      (error: Error & { reason?: string }) => error.reason ?? error.message,
    );

  it.each([
    ['an upper-case scheme', `SHA256=${GOOD.slice(7)}`],
    ['65 hex digits', `${GOOD}0`],
    ['a space inside the digest', `${GOOD.slice(0, 20)} ${GOOD.slice(20)}`],
    ['a full-width digit', `${GOOD.slice(0, -1)}\uff10`],
    ['a sign before the digest', `sha256=+${GOOD.slice(8)}`],
    ['only separators', ' , ,\t, '],
    ['nine values, the good one among them', [...Array(8).fill(OTHER), GOOD].join(',')],
  ])('refuses %s as malformed_signature', async (_name, header) => {
    expect(await reasonOf(delivery(sig(header)))).toBe('malformed_signature');
  });

  it.each([
    ['eight values, the good one last', [...Array(7).fill(OTHER), GOOD].join(',')],
    ['values separated by tabs and newlines', `${OTHER}\t\n${GOOD}`],
    ['empty values between commas', `,,${GOOD},,`],
    ['surrounding whitespace', `  ${GOOD}\n`],
  ])('accepts %s', async (_name, header) => {
    expect(await reasonOf(delivery(sig(header)))).toBe('accepted');
  });

  it('refuses a well-formed digest of the right length that matches nothing', async () => {
    expect(await reasonOf(delivery(sig(OTHER)))).toBe('signature_mismatch');
  });

  it('hashes a view on a larger buffer by its own bytes only', async () => {
    const text = new TextEncoder().encode(SPEC_COMPLETED_BODY);
    const larger = new Uint8Array(text.length + 8).fill(0x20);
    larger.set(text, 4);
    const view = larger.subarray(4, 4 + text.length);
    const options = { ...signedDelivery({ body: text }), payload: view };
    expect(await reasonOf(options)).toBe('accepted');
    const asDataView = { ...options, payload: new DataView(larger.buffer, 4, text.length) };
    expect(await reasonOf(asDataView as never)).toBe('accepted');
  });

  it('hashes a non-ASCII body and secret as UTF-8, whether the body is a string or bytes', async () => {
    const body = SPEC_COMPLETED_BODY.replace('nanobanana', 'nanobanana-é😀');
    const options = signedDelivery({ body, secret: `${SECRET}-ß`, timestamp: TIMESTAMP });
    await expect(entry.verifySignature(options)).resolves.toBeUndefined();
    const bytes = { ...options, payload: new TextEncoder().encode(body) };
    await expect(entry.verifySignature(bytes)).resolves.toBeUndefined();
  });
});

describe.each(ENTRIES)('signing bytes ($name entry)', (entry) => {
  it('signs a view on a larger buffer by its own bytes only', async () => {
    const text = new TextEncoder().encode(SPEC_COMPLETED_BODY);
    const larger = new Uint8Array(text.length + 8).fill(0x7b);
    larger.set(text, 4);
    const view = larger.subarray(4, 4 + text.length);
    expect(await entry.computeSignature(view, SECRET, TIMESTAMP)).toBe(
      referenceSignature(SECRET, TIMESTAMP, text),
    );
  });
});
