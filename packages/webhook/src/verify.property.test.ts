import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  WebhookVerificationError,
  verifyWebhook,
  verifyWebhookSignature,
  type VerifyWebhookOptions,
} from './index.js';
import { verifyWebhook as verifyWebhookWeb } from './web.js';
import { SPEC_COMPLETED_BODY, signedDelivery } from '../test/support/deliveries.js';

const TS = 'X-EggAPI-Timestamp';
const SIG = 'X-EggAPI-Signature';

/** A printable-ASCII replacement for `text[index]` that differs from it. */
function changedAt(text: string, index: number, delta: number): string {
  const code = 0x20 + ((text.charCodeAt(index) - 0x20 + delta) % 95);
  return text.slice(0, index) + String.fromCharCode(code) + text.slice(index + 1);
}

function failsWithReason(
  options: VerifyWebhookOptions,
  verify: (options: VerifyWebhookOptions) => unknown = verifyWebhook,
): string {
  try {
    verify(options);
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.reason;
    throw error;
  }
  return 'accepted';
}

// delta in 1..94 never maps a printable character onto itself.
const delta = fc.integer({ min: 1, max: 94 });

describe.each([
  ['verifyWebhook', verifyWebhook],
  ['verifyWebhookSignature', verifyWebhookSignature],
] as const)('any single-byte change fails %s', (_name, verify) => {
  it('in the body', () => {
    const bytes = Buffer.from(SPEC_COMPLETED_BODY);
    fc.assert(
      fc.property(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (i, x) => {
        const changed = Buffer.from(bytes);
        changed[i] = changed[i]! ^ x;
        expect(failsWithReason({ ...signedDelivery(), payload: changed }, verify)).not.toBe(
          'accepted',
        );
      }),
    );
  });

  it('in the timestamp header', () => {
    const options = signedDelivery();
    const timestamp = options.headers[TS]!;
    fc.assert(
      fc.property(fc.nat({ max: timestamp.length - 1 }), delta, (i, d) => {
        const headers = { ...options.headers, [TS]: changedAt(timestamp, i, d) };
        expect(failsWithReason({ ...options, headers }, verify)).not.toBe('accepted');
      }),
    );
  });

  it('in the signature header', () => {
    const options = signedDelivery();
    const signature = options.headers[SIG]!;
    fc.assert(
      fc.property(fc.nat({ max: signature.length - 1 }), delta, (i, d) => {
        const changed = changedAt(signature, i, d);
        // Case is not significant in hex digits: that one change is the same signature.
        fc.pre(changed.toLowerCase() !== signature);
        const headers = { ...options.headers, [SIG]: changed };
        expect(failsWithReason({ ...options, headers }, verify)).not.toBe('accepted');
      }),
    );
  });
});

describe('garbage input only ever throws WebhookVerificationError', () => {
  const headerValue = fc.oneof(
    fc.string(),
    fc.constantFrom('sha256=', 'sha256=zz', ',', ' , ', '1778217000', '-1', '1e9', '0x10'),
    fc.array(fc.string(), { maxLength: 3 }),
    fc.integer(),
    fc.constant(undefined),
  );
  const headers = fc.oneof(
    fc.record({ [TS]: headerValue, [SIG]: headerValue }, { requiredKeys: [] }),
    fc.dictionary(fc.string(), headerValue),
    fc.anything(),
  );
  const payload = fc.oneof(
    fc.string(),
    fc.uint8Array(),
    fc.json(),
    fc.anything(),
    fc.constant(SPEC_COMPLETED_BODY),
  );

  it('from the node entry', () => {
    fc.assert(
      fc.property(headers, payload, fc.boolean(), (h, p, allowUnsigned) => {
        // Garbage may still be a valid unsigned delivery when allowUnsigned is on: then it
        // returns; what it must never do is throw anything else.
        const options = { ...signedDelivery(), headers: h, payload: p, allowUnsigned };
        try {
          verifyWebhook(options as VerifyWebhookOptions);
          expect(allowUnsigned).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(WebhookVerificationError);
        }
      }),
    );
  });

  it('from the web entry', async () => {
    await fc.assert(
      fc.asyncProperty(headers, payload, async (h, p) => {
        const options = { ...signedDelivery(), headers: h, payload: p };
        await expect(verifyWebhookWeb(options as VerifyWebhookOptions)).rejects.toThrow(
          WebhookVerificationError,
        );
      }),
      { numRuns: 50 },
    );
  });

  it('for signed payloads of random JSON', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const reason = failsWithReason(signedDelivery({ body: text }));
        expect(reason).toBe('invalid_payload');
      }),
    );
  });
});
