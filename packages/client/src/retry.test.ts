import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  isRetryable,
  retryAfterMs,
  retryDelayMs,
  type AttemptFailure,
  type RetryMode,
} from './retry.js';

const NOW = Date.parse('2026-05-08T10:30:00Z');

describe('retryAfterMs', () => {
  it.each([
    [{ 'retry-after': '1' }, 1000],
    [{ 'retry-after': '0' }, 0],
    [{ 'retry-after': '2.5' }, 2500],
    [{ 'retry-after': 'Fri, 08 May 2026 10:30:03 GMT' }, 3000],
    [{ 'retry-after': 'Fri, 08 May 2026 10:29:00 GMT' }, 0],
    [{ 'retry-after-ms': '150' }, 150],
    [{ 'retry-after-ms': '150', 'retry-after': '9' }, 150],
    [{ 'retry-after-ms': 'soon', 'retry-after': '2' }, 2000],
    [{ 'retry-after': 'soon' }, undefined],
    [{ 'retry-after': '-1' }, undefined],
    [{}, undefined],
  ])('reads %j as %s ms', (headers, expected) => {
    expect(retryAfterMs(new Headers(headers), NOW)).toBe(expected);
  });
});

describe('backoffMs', () => {
  it.each([
    [1, 500],
    [2, 1000],
    [3, 2000],
    [4, 4000],
    [5, 8000],
    [9, 8000],
  ])('retry %i waits at most %i ms and at least three quarters of it', (retry, max) => {
    expect(backoffMs(retry, 0)).toBe(max);
    expect(backoffMs(retry, 0.999_999)).toBeCloseTo(max * 0.75, 0);
  });
});

describe('retryDelayMs', () => {
  it('prefers the server’s Retry-After to the backoff', () => {
    expect(retryDelayMs(1, new Headers({ 'retry-after': '3' }))).toBe(3000);
  });

  it('gives up when the server asks for more than a minute', () => {
    expect(retryDelayMs(1, new Headers({ 'retry-after': '61' }))).toBeUndefined();
  });

  it('backs off when the server says nothing', () => {
    const delay = retryDelayMs(2, new Headers());
    expect(delay).toBeGreaterThanOrEqual(750);
    expect(delay).toBeLessThanOrEqual(1000);
  });
});

describe('isRetryable', () => {
  const status = (s: number): AttemptFailure => ({ kind: 'status', status: s });
  it.each<[RetryMode, AttemptFailure, boolean]>([
    ['idempotent', status(408), true],
    ['idempotent', status(429), true],
    ['idempotent', status(500), true],
    ['idempotent', status(502), true],
    ['idempotent', status(503), true],
    ['idempotent', status(504), true],
    ['idempotent', status(400), false],
    ['idempotent', status(401), false],
    ['idempotent', status(404), false],
    ['idempotent', status(409), false],
    ['idempotent', { kind: 'timeout' }, true],
    ['idempotent', { kind: 'connection', beforeSend: false }, true],
    ['creates', status(429), true],
    ['creates', status(408), false],
    ['creates', status(500), false],
    ['creates', status(502), false],
    ['creates', status(503), false],
    ['creates', status(504), false],
    ['creates', { kind: 'timeout' }, false],
    ['creates', { kind: 'connection', beforeSend: false }, false],
    ['creates', { kind: 'connection', beforeSend: true }, true],
  ])('%s request, %j: retried %s', (mode, failure, expected) => {
    expect(isRetryable(mode, failure)).toBe(expected);
  });
});

describe('retryAfterMs on any header value', () => {
  it('answers undefined or a finite wait ≥ 0, and never throws', () => {
    fc.assert(
      fc.property(fc.option(fc.string()), fc.option(fc.string()), (seconds, ms) => {
        const headers = new Headers();
        // Headers refuse some strings outright (control characters): that is fetch's business.
        try {
          if (seconds !== null) headers.set('retry-after', seconds);
          if (ms !== null) headers.set('retry-after-ms', ms);
        } catch {
          return;
        }
        const wait = retryAfterMs(headers, NOW);
        expect(wait === undefined || (Number.isFinite(wait) && wait >= 0)).toBe(true);
      }),
    );
  });

  it('reads whole seconds exactly', () => {
    fc.assert(
      fc.property(fc.nat(86_400), (seconds) => {
        expect(retryAfterMs(new Headers({ 'retry-after': String(seconds) }), NOW)).toBe(
          seconds * 1000,
        );
      }),
    );
  });
});
