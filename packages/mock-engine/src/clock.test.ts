import { describe, expect, it } from 'vitest';
import { MAX_CLOCK_STEP_MS, MockClock } from './clock.js';

const T = Date.parse('2026-05-08T10:30:00Z');

describe('the mock clock', () => {
  it('virtual: starts at its source’s time when first read, then stands still until moved', () => {
    let source = T;
    const clock = new MockClock('virtual', () => source);
    expect(clock.now()).toBe(T);
    source += 60_000;
    expect(clock.now()).toBe(T);
    clock.moveTo(T + 1_500);
    expect(clock.view()).toEqual({ now: '2026-05-08T10:30:01.500Z', mode: 'virtual' });
    expect(clock.passes).toBe(false);
  });

  it('real: follows its source, plus what moving it forward added', () => {
    let source = T;
    const clock = new MockClock('real', () => source);
    clock.moveTo(T + 1_000);
    expect(clock.now()).toBe(T + 1_000);
    source += 500;
    expect(clock.now()).toBe(T + 1_500);
    expect(clock.passes).toBe(true);
  });

  it.each(['real', 'virtual'] as const)('%s: never goes back', (mode) => {
    const clock = new MockClock(mode, () => T);
    clock.moveTo(T + 10);
    clock.moveTo(T + 5);
    clock.moveTo(Number.NaN);
    expect(clock.now()).toBe(T + 10);
  });

  it('reads Date.now() by default, so fake timers and the wall clock move a real clock', () => {
    const clock = new MockClock('real');
    const before = Date.now();
    expect(clock.now()).toBeGreaterThanOrEqual(before);
    expect(clock.now()).toBeLessThanOrEqual(Date.now());
  });

  it.each([0, 1, MAX_CLOCK_STEP_MS])('takes a step of %d ms', (ms) => {
    expect(new MockClock('virtual', () => T).targetOf(ms)).toBe(T + ms);
  });

  it.each([-1, 0.5, Number.NaN, Infinity, -Infinity, MAX_CLOCK_STEP_MS + 1, 2 ** 53])(
    'refuses a step of %d ms with a RangeError naming the bounds',
    (ms) => {
      expect(() => new MockClock('virtual', () => T).targetOf(ms)).toThrow(
        new RangeError(
          `the clock moves by a whole number of milliseconds from 0 to ${MAX_CLOCK_STEP_MS} (a year), got ${String(ms)}`,
        ),
      );
    },
  );

  it('refuses a step past the latest time a date can hold', () => {
    const clock = new MockClock('virtual', () => 8.64e15 - 10);
    expect(clock.targetOf(10)).toBe(8.64e15);
    expect(() => clock.targetOf(11)).toThrow(/cannot move past \+275760-09-13T00:00:00\.000Z/);
  });
});
