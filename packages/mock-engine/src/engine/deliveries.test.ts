import { describe, expect, it } from 'vitest';
import {
  excerptOf,
  RESPONSE_EXCERPT_BYTES,
  withOutcome,
  type Delivery,
  type DeliveryAttempt,
} from './deliveries.js';

describe('excerptOf (the answer body kept with an attempt)', () => {
  const max = RESPONSE_EXCERPT_BYTES;
  it.each([
    ['empty', '', '', false],
    ['exactly the limit', 'a'.repeat(max), 'a'.repeat(max), false],
    ['one byte over', 'a'.repeat(max + 1), 'a'.repeat(max), true],
    ['a 2-byte character across the limit', `${'a'.repeat(max - 1)}é`, 'a'.repeat(max - 1), true],
    ['a 4-byte character across the limit', `${'a'.repeat(max - 2)}🥚`, 'a'.repeat(max - 2), true],
    ['multi-byte text that fits', 'é'.repeat(max / 2), 'é'.repeat(max / 2), false],
  ])('%s', (_name, text, kept, truncated) => {
    expect(excerptOf(text)).toEqual({ text: kept, truncated });
  });
});

describe('withOutcome (what follows an attempt)', () => {
  const config = {
    timeoutMs: 1_000,
    maxAttempts: 3,
    backoffBaseMs: 1_000,
    backoffMaxMs: 3_000,
    concurrency: 1,
  };
  const now = Date.parse('2026-05-08T10:30:00.000Z');
  const attempt = (n: number): DeliveryAttempt => ({
    attempt: n,
    at: new Date(now - 10 * (3 - n)).toISOString(),
    url: 'https://receiver.test/hook',
    durationMs: 5,
  });
  /** A pending delivery whose attempts 1..made are recorded, the last one still in flight. */
  const delivery = (made: number, roundStart = 0): Delivery => ({
    id: 'whd_1',
    task_id: 'gen_1',
    owner: 'sk_t…ggapi',
    event: 'task.completed',
    url: 'https://receiver.test/hook',
    body: '{}',
    state: 'pending',
    attempts: Array.from({ length: made }, (_, i) => attempt(i + 1)),
    round_start: roundStart,
    next_attempt_at: null,
    created_at: new Date(now - 100).toISOString(),
  });
  const iso = (ms: number) => new Date(ms).toISOString();

  it.each([
    ['delivered: succeeded', 1, 0, true, false, 'succeeded', null],
    ['cut short by shutdown: due again at once', 1, 0, false, true, 'pending', iso(now)],
    ['a 1st failure: the 2nd after the base', 1, 0, false, false, 'pending', iso(now + 1_000)],
    [
      'a 2nd failure: the 3rd after twice the base',
      2,
      0,
      false,
      false,
      'pending',
      iso(now + 2_000),
    ],
    ['the last attempt failed: failed', 3, 0, false, false, 'failed', null],
    ['a redelivery round counts its own attempts', 3, 2, false, false, 'pending', iso(now + 1_000)],
  ] as const)('%s', (_name, made, roundStart, delivered, aborted, state, next) => {
    const outcome = { ...attempt(made), status: delivered ? 200 : 500 };
    const after = withOutcome(delivery(made, roundStart), outcome, {
      config,
      delivered,
      aborted,
      now,
    });
    expect(after).toMatchObject({ state, next_attempt_at: next });
    expect(after?.attempts.at(-1)).toEqual(outcome);
  });

  it('changes only the attempt of an older outcome, and refuses one of no attempt', () => {
    const older = { ...attempt(1), status: 500 };
    const after = withOutcome(delivery(2), older, {
      config,
      delivered: false,
      aborted: false,
      now,
    });
    expect(after).toEqual({ ...delivery(2), attempts: [older, attempt(2)] });
    const stranger = { ...attempt(3), at: iso(now + 5) };
    expect(
      withOutcome(delivery(1), stranger, { config, delivered: false, aborted: false, now }),
    ).toBeUndefined();
  });
});
