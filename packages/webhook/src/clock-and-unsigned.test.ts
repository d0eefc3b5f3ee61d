import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as main from './index.js';
import { verifyWebhook, WebhookVerificationError } from './index.js';

const SECRET = 'whsec_clock_test';
const TIMESTAMP = 1778217000;
const BODY =
  '{"event":"task.failed","task_id":"gen_1","status":"failed","model":"nanobanana","error":"boom","cost":"0.000000","timestamp":1778217000}';
const signature = `sha256=${createHmac('sha256', SECRET).update(`${TIMESTAMP}.${BODY}`).digest('hex')}`;
const headers = { 'X-EggAPI-Timestamp': String(TIMESTAMP), 'X-EggAPI-Signature': signature };

describe('the injectable clock', () => {
  it.each([
    ['seconds', TIMESTAMP],
    ['milliseconds', TIMESTAMP * 1000],
    ['a Date', new Date(TIMESTAMP * 1000)],
    ['a function returning seconds', () => TIMESTAMP + 10],
    ['a function returning milliseconds', () => TIMESTAMP * 1000 + 10_000],
    ['a function returning a Date', () => new Date((TIMESTAMP + 299) * 1000)],
  ])('accepts %s', (_name, now) => {
    expect(verifyWebhook({ payload: BODY, headers, secret: SECRET, now }).task_id).toBe('gen_1');
  });

  it('still applies the tolerance in every unit', () => {
    for (const now of [TIMESTAMP + 301, (TIMESTAMP + 301) * 1000, () => TIMESTAMP - 301]) {
      expect(() => verifyWebhook({ payload: BODY, headers, secret: SECRET, now })).toThrow(
        WebhookVerificationError,
      );
    }
  });

  it.each([Number.NaN, -1, () => 'yesterday'])('refuses %s as a clock', (now) => {
    expect(() =>
      verifyWebhook({ payload: BODY, headers, secret: SECRET, now: now as never }),
    ).toThrow(TypeError);
  });
});

describe('allowUnsigned', () => {
  const unsigned = { 'X-EggAPI-Timestamp': String(TIMESTAMP) };

  it('accepts an unsigned delivery without a secret (an account with no secret)', () => {
    const event = verifyWebhook({
      payload: BODY,
      headers: unsigned,
      allowUnsigned: true,
      now: TIMESTAMP,
    });
    expect(event.event).toBe('task.failed');
  });

  it('still refuses a signed delivery it has no secret to check', () => {
    try {
      verifyWebhook({ payload: BODY, headers, allowUnsigned: true, now: TIMESTAMP });
      expect.unreachable();
    } catch (error) {
      expect((error as WebhookVerificationError).reason).toBe('signature_mismatch');
    }
  });

  it('still needs a secret when unsigned deliveries are not allowed', () => {
    expect(() => verifyWebhook({ payload: BODY, headers: unsigned, now: TIMESTAMP })).toThrow(
      TypeError,
    );
  });
});

describe('the main entry', () => {
  it('offers verifyRequest but not the express middleware, which lives under /express', async () => {
    expect(typeof main.verifyRequest).toBe('function');
    expect(main).not.toHaveProperty('eggapiWebhook');
    expect(main).not.toHaveProperty('DEFAULT_BODY_LIMIT');
    const express = await import('./express.js');
    expect(typeof express.eggapiWebhook).toBe('function');
    expect(express.DEFAULT_BODY_LIMIT).toBe(1024 * 1024);
  });
});
