import { taskCompletedEventFixture, taskFailedEventFixture } from '@eggapi/contracts/testing';
import { describe, expect, it } from 'vitest';
import { WebhookVerificationError, type VerifyWebhookOptions } from './index.js';
import {
  ENTRIES,
  SECRET,
  SPEC_COMPLETED_BODY,
  SPEC_FAILED_BODY,
  TIMESTAMP,
  signedDelivery,
} from '../test/support/deliveries.js';
import {
  FAILURES,
  GOOD,
  at,
  body,
  delivery,
  sig,
  ts,
  type Options,
} from '../test/support/failures.js';

/** The spec's completed delivery as the verifier must return it. */
const COMPLETED_EVENT: unknown = JSON.parse(SPEC_COMPLETED_BODY);

/** Mistakes in the receiver's own options: thrown as TypeError/RangeError, never a reason. */
const MISCONFIGURED: [string, VerifyWebhookOptions, ErrorConstructor][] = [
  ['an empty secret', delivery((o) => (o.secret = '')), TypeError],
  ['a secret with a trailing newline', delivery((o) => (o.secret = `${SECRET}\n`)), TypeError],
  ['a secret with a leading space', delivery((o) => (o.secret = ` ${SECRET}`)), TypeError],
  ['a padded secret among rotated ones', delivery((o) => (o.secret = [SECRET, 'old '])), TypeError],
  ['an empty list of secrets', delivery((o) => (o.secret = [])), TypeError],
  ['a negative tolerance', delivery((o) => (o.tolerance = -1)), RangeError],
  ['a NaN tolerance', delivery((o) => (o.tolerance = NaN)), RangeError],
  ['an infinite tolerance', delivery((o) => (o.tolerance = Infinity)), RangeError],
  [
    'a tolerance given as a string',
    delivery((o) => (o.tolerance = '300' as unknown as number)),
    RangeError,
  ],
  ['a clock that returns no time', delivery((o) => (o.now = () => NaN)), TypeError],
];

/** Distance of the clock from the signed timestamp, and whether it passes (tolerance 300 s). */
const WINDOW: [number, string | null][] = [
  [-301, 'timestamp_in_future'],
  [-300, null],
  [0, null],
  [300, null],
  [301, 'timestamp_too_old'],
];

describe.each(ENTRIES)('verifyWebhook ($name entry)', (entry) => {
  const reasonOf = async (options: VerifyWebhookOptions) => {
    const error: unknown = await entry.verify(options).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WebhookVerificationError);
    return (error as WebhookVerificationError).reason;
  };

  it.each([
    ['the spec completed payload', SPEC_COMPLETED_BODY],
    ['the spec failed payload', SPEC_FAILED_BODY],
  ])('returns the typed event of %s', async (_name, text) => {
    const event = await entry.verify(signedDelivery({ body: text }));
    expect(event).toEqual(JSON.parse(text));
  });

  it.each([
    ['task.completed', taskCompletedEventFixture()],
    ['task.failed', taskFailedEventFixture()],
  ])('accepts the contract fixture of %s', async (_name, fixture) => {
    expect(await entry.verify(signedDelivery({ body: JSON.stringify(fixture) }))).toEqual(fixture);
  });

  it.each(FAILURES)('rejects %s', async (_name, options, reason) => {
    expect(await reasonOf(options)).toBe(reason);
  });

  it('explains the raw-body fix when handed parsed JSON', async () => {
    await expect(entry.verify(delivery(body({})))).rejects.toThrow(/raw request body/);
  });

  it.each(MISCONFIGURED)('throws at call time on %s', async (_name, options, kind) => {
    const error: unknown = await entry.verify(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(kind);
    expect(error).not.toBeInstanceOf(WebhookVerificationError);
  });

  it('names the whitespace problem in the message', async () => {
    await expect(entry.verify(delivery((o) => (o.secret = `${SECRET}\n`)))).rejects.toThrow(
      /whitespace/,
    );
  });

  it.each(WINDOW)('with the clock %i s from the timestamp: %s', async (offset, reason) => {
    const options = delivery(at(TIMESTAMP + offset));
    if (reason === null) await expect(entry.verify(options)).resolves.toEqual(COMPLETED_EVENT);
    else expect(await reasonOf(options)).toBe(reason);
  });

  it.each([
    [0, 0, null],
    [0, 1, 'timestamp_too_old'],
    [0, -1, 'timestamp_in_future'],
    [10, 10, null],
    [10, 11, 'timestamp_too_old'],
  ] as const)('with tolerance %i and the clock %i s off: %s', async (tolerance, offset, reason) => {
    const options = delivery((o) =>
      Object.assign(o, { tolerance, now: () => (TIMESTAMP + offset) * 1000 }),
    );
    if (reason === null) await expect(entry.verify(options)).resolves.toEqual(COMPLETED_EVENT);
    else expect(await reasonOf(options)).toBe(reason);
  });

  it('reads a clock that returns a Date, and ignores milliseconds within the second', async () => {
    await expect(
      entry.verify(delivery((o) => (o.now = () => new Date((TIMESTAMP + 300) * 1000 + 999)))),
    ).resolves.toEqual(COMPLETED_EVENT);
  });

  it('checks against the real clock by default', async () => {
    expect(await reasonOf(delivery((o) => delete o.now))).toBe('timestamp_too_old');
    const fresh = signedDelivery({ timestamp: Math.floor(Date.now() / 1000) });
    delete fresh.now;
    await expect(entry.verify(fresh)).resolves.toEqual(COMPLETED_EVENT);
  });

  describe('headers in any form and case', () => {
    const { headers } = signedDelivery();
    const timestamp = headers['X-EggAPI-Timestamp']!;
    const signature = headers['X-EggAPI-Signature']!;
    it.each([
      ['a Fetch Headers', new Headers(headers)],
      [
        'Node IncomingHttpHeaders (lower case)',
        { 'x-eggapi-timestamp': timestamp, 'x-eggapi-signature': signature, host: 'example.com' },
      ],
      [
        'IncomingHttpHeaders with an array value',
        {
          'x-eggapi-timestamp': timestamp,
          'x-eggapi-signature': ['sha256=' + '0'.repeat(64), signature],
        },
      ],
      [
        'a plain object in upper case',
        { 'X-EGGAPI-TIMESTAMP': timestamp, 'X-EGGAPI-SIGNATURE': signature },
      ],
      [
        'a plain object in mixed case',
        { 'x-EggApi-timeStamp': timestamp, 'X-eggapi-Signature': signature },
      ],
      [
        'a numeric timestamp value',
        { 'x-eggapi-timestamp': TIMESTAMP, 'x-eggapi-signature': signature },
      ],
    ])('accepts %s', async (_name, form) => {
      await expect(entry.verify({ ...signedDelivery(), headers: form })).resolves.toEqual(
        COMPLETED_EVENT,
      );
    });
  });

  describe('payload as string or bytes', () => {
    const bytes = new TextEncoder().encode(SPEC_COMPLETED_BODY);
    const padded = new Uint8Array(bytes.length + 6);
    padded.set(bytes, 3);
    it.each([
      ['a string', SPEC_COMPLETED_BODY],
      ['a Buffer', Buffer.from(SPEC_COMPLETED_BODY)],
      ['a Uint8Array', bytes],
      ['an ArrayBuffer', bytes.slice().buffer],
      ['a Uint8Array view at an offset', padded.subarray(3, 3 + bytes.length)],
    ])('accepts %s', async (_name, payload) => {
      await expect(entry.verify({ ...signedDelivery(), payload })).resolves.toEqual(
        JSON.parse(SPEC_COMPLETED_BODY),
      );
    });

    it('verifies multi-byte UTF-8 over the exact bytes', async () => {
      const text = JSON.stringify(taskFailedEventFixture({ error: 'modération: ☕ 日本' }));
      await expect(
        entry.verify(signedDelivery({ body: Buffer.from(text) })),
      ).resolves.toMatchObject({ error: 'modération: ☕ 日本' });
    });
  });

  describe('secret rotation and several signatures', () => {
    it.each([
      ['the new secret', 'new_secret'],
      ['the old secret', 'old_secret'],
    ])('accepts a delivery signed with %s when both are configured', async (_name, signer) => {
      const options = {
        ...signedDelivery({ secret: signer }),
        secret: ['new_secret', 'old_secret'],
      };
      await expect(entry.verify(options)).resolves.toEqual(COMPLETED_EVENT);
    });

    it('rejects a delivery signed with neither secret', async () => {
      const options = {
        ...signedDelivery({ secret: 'third' }),
        secret: ['new_secret', 'old_secret'],
      };
      expect(await reasonOf(options)).toBe('signature_mismatch');
    });

    it.each([
      ['comma-separated', (bad: string) => `${bad},${GOOD}`],
      ['space-separated', (bad: string) => `${bad} ${GOOD}`],
      ['comma-and-space-separated, good one first', (bad: string) => `${GOOD}, ${bad}`],
      ['mixed with a value of another scheme', (_bad: string) => `v2=abcdef ${GOOD}`],
    ])('accepts a header with several values, %s, when one matches', async (_name, header) => {
      const bad = `sha256=${'ab'.repeat(32)}`;
      await expect(entry.verify(delivery(sig(header(bad))))).resolves.toEqual(COMPLETED_EVENT);
    });

    it('accepts upper-case hex digits', async () => {
      await expect(
        entry.verify(delivery(sig(`sha256=${GOOD.slice(7).toUpperCase()}`))),
      ).resolves.toEqual(COMPLETED_EVENT);
    });
  });

  describe('unsigned deliveries', () => {
    const unsigned = (change: (o: Options) => void = () => {}) =>
      delivery((o) => {
        delete o.headers['X-EggAPI-Signature'];
        o.allowUnsigned = true;
        change(o);
      });

    it('rejects them with missing_signature unless allowUnsigned is true', async () => {
      expect(await reasonOf(delivery(sig(undefined)))).toBe('missing_signature');
      expect(
        await reasonOf(
          delivery((o) => {
            delete o.headers['X-EggAPI-Signature'];
            o.allowUnsigned = false;
          }),
        ),
      ).toBe('missing_signature');
    });

    it('accepts them with allowUnsigned: true and still returns the typed event', async () => {
      await expect(entry.verify(unsigned())).resolves.toEqual(JSON.parse(SPEC_COMPLETED_BODY));
    });

    it.each([
      ['a missing timestamp', unsigned(ts(undefined)), 'missing_timestamp'],
      ['a stale timestamp', unsigned(at(TIMESTAMP + 301)), 'timestamp_too_old'],
      ['an invalid payload', unsigned(body('{"event":"nope"}')), 'invalid_payload'],
      [
        'a signature that is sent but wrong',
        unsigned(sig(`sha256=${'0'.repeat(64)}`)),
        'signature_mismatch',
      ],
      ['a parsed body', unsigned(body({})), 'body_was_parsed'],
    ])('still rejects %s with allowUnsigned', async (_name, options, reason) => {
      expect(await reasonOf(options)).toBe(reason);
    });
  });
});

describe('the node entry', () => {
  it('is synchronous: it returns the event and throws, never a Promise', async () => {
    const { verifyWebhook } = await import('./index.js');
    expect(verifyWebhook(signedDelivery())).toEqual(JSON.parse(SPEC_COMPLETED_BODY));
    expect(() => verifyWebhook(delivery(sig(undefined)))).toThrow(WebhookVerificationError);
  });
});
