import { describe, expect, it } from 'vitest';
import { WebhookVerificationError, verifyWebhookSignature } from './index.js';
import {
  ENTRIES,
  SECRET,
  SPEC_COMPLETED_BODY,
  TIMESTAMP,
  signedDelivery,
} from '../test/support/deliveries.js';
import { FAILURES, body, delivery, sig } from '../test/support/failures.js';

const BODY_REASONS = new Set(['invalid_payload']);

describe.each(ENTRIES)('verifyWebhookSignature ($name entry)', (entry) => {
  const outcome = (options: Parameters<typeof entry.verifySignature>[0]) =>
    entry.verifySignature(options).then(
      (value) => ({ passed: true, value }),
      (error: unknown) => ({ passed: false, error }),
    );

  it('passes a correctly signed, fresh delivery and returns nothing', async () => {
    expect(await outcome(signedDelivery())).toEqual({ passed: true, value: undefined });
  });

  it.each(FAILURES.filter(([, , reason]) => !BODY_REASONS.has(reason)))(
    'rejects %s with the same reason as verifyWebhook',
    async (_name, options, reason) => {
      const result = await outcome(options);
      expect(result.passed).toBe(false);
      const error = (result as { error: unknown }).error;
      expect(error).toBeInstanceOf(WebhookVerificationError);
      expect((error as WebhookVerificationError).reason).toBe(reason);
      await expect(entry.verify(options)).rejects.toMatchObject({ reason });
    },
  );

  it.each(FAILURES.filter(([, , reason]) => BODY_REASONS.has(reason)))(
    'does not read the body: passes %s, which verifyWebhook refuses',
    async (_name, options) => {
      await expect(entry.verifySignature(options)).resolves.toBeUndefined();
      await expect(entry.verify(options)).rejects.toMatchObject({ reason: 'invalid_payload' });
    },
  );

  it('still refuses a parsed body: the signature cannot be checked without the raw bytes', async () => {
    await expect(
      entry.verifySignature(delivery(body(JSON.parse(SPEC_COMPLETED_BODY)))),
    ).rejects.toMatchObject({ reason: 'body_was_parsed' });
  });

  it('checks the signature over the exact bytes, whatever they are', async () => {
    const bytes = new Uint8Array([0x00, 0xff, 0x10, 0x80]);
    const options = signedDelivery({ body: bytes });
    await expect(entry.verifySignature(options)).resolves.toBeUndefined();
    bytes[1] = 0xfe;
    await expect(entry.verifySignature(options)).rejects.toMatchObject({
      reason: 'signature_mismatch',
    });
  });

  it('accepts the signature in upper-case hex and among several values', async () => {
    const good = signedDelivery().headers['X-EggAPI-Signature']!;
    const upper = `sha256=${good.slice(7).toUpperCase()}`;
    await expect(entry.verifySignature(delivery(sig(upper)))).resolves.toBeUndefined();
    const several = `sha256=${'0'.repeat(64)}, ${good}`;
    await expect(entry.verifySignature(delivery(sig(several)))).resolves.toBeUndefined();
  });

  it('takes a rotated list of secrets', async () => {
    const options = { ...signedDelivery({ secret: 'old_secret' }), secret: [SECRET, 'old_secret'] };
    await expect(entry.verifySignature(options)).resolves.toBeUndefined();
  });

  it('throws TypeError, not a reason, on a padded secret', async () => {
    const error: unknown = await entry
      .verifySignature({ ...signedDelivery(), secret: `${SECRET}\n` })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
  });
});

describe('the node verifyWebhookSignature', () => {
  it('is synchronous', () => {
    expect(verifyWebhookSignature(signedDelivery())).toBeUndefined();
    expect(() =>
      verifyWebhookSignature({ ...signedDelivery(), now: (TIMESTAMP + 301) * 1000 }),
    ).toThrow(WebhookVerificationError);
  });
});
