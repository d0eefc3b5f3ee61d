import { taskCompletedEventFixture, taskFailedEventFixture } from '@eggapi/contracts/testing';
import { describe, expect, it } from 'vitest';
import {
  createReplayGuard,
  MemoryReplayStore,
  WebhookVerificationError,
  type ReplayStore,
} from './index.js';

const T0 = 1_778_217_000;

function clock(start = T0) {
  let seconds = start;
  return {
    now: () => seconds * 1000,
    advance: (by: number) => {
      seconds += by;
    },
  };
}

describe('createReplayGuard', () => {
  it('accepts a delivery once and rejects the duplicate within the tolerance', async () => {
    const guard = createReplayGuard();
    const event = taskCompletedEventFixture();
    await expect(guard.check(event)).resolves.toBeUndefined();
    const error: unknown = await guard.check(event).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect((error as WebhookVerificationError).reason).toBe('replayed');
  });

  it('tells apart task, event and timestamp', async () => {
    const guard = createReplayGuard();
    await guard.check(taskCompletedEventFixture());
    await expect(guard.check(taskFailedEventFixture())).resolves.toBeUndefined();
    await expect(
      guard.check(taskCompletedEventFixture({ task_id: 'gen_other' })),
    ).resolves.toBeUndefined();
    await expect(
      guard.check(taskCompletedEventFixture({ timestamp: T0 + 1 })),
    ).resolves.toBeUndefined();
  });

  it('keys on the signed timestamp header when headers are given', async () => {
    const guard = createReplayGuard();
    const event = taskCompletedEventFixture();
    await guard.check(event, { 'x-eggapi-timestamp': String(T0 + 60) });
    // A re-signed retry (new timestamp) passes; the same signed copy does not.
    await expect(
      guard.check(event, new Headers({ 'X-EggAPI-Timestamp': String(T0 + 120) })),
    ).resolves.toBeUndefined();
    await expect(guard.check(event, { 'X-EggAPI-Timestamp': String(T0 + 60) })).rejects.toThrow(
      /already received/,
    );
  });

  it('accepts the same delivery again once the window (2 × tolerance + 1 s) has passed', async () => {
    const time = clock();
    const guard = createReplayGuard({
      store: new MemoryReplayStore({ now: time.now }),
      tolerance: 300,
    });
    const event = taskCompletedEventFixture();
    await guard.check(event);
    time.advance(600);
    await expect(guard.check(event)).rejects.toThrow(WebhookVerificationError);
    time.advance(1);
    await expect(guard.check(event)).resolves.toBeUndefined();
  });

  it('keeps a duplicate out for at least a second with tolerance 0', async () => {
    const time = clock();
    const guard = createReplayGuard({
      store: new MemoryReplayStore({ now: time.now }),
      tolerance: 0,
    });
    await guard.check(taskCompletedEventFixture());
    await expect(guard.check(taskCompletedEventFixture())).rejects.toThrow(
      WebhookVerificationError,
    );
  });

  it('works with a custom async store such as Redis', async () => {
    const calls: [string, number][] = [];
    const seen = new Set<string>();
    const store: ReplayStore = {
      async setIfAbsent(key, ttlSeconds) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        calls.push([key, ttlSeconds]);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      },
    };
    const guard = createReplayGuard({ store, tolerance: 60 });
    const event = taskFailedEventFixture();
    await guard.check(event);
    await expect(guard.check(event)).rejects.toThrow(WebhookVerificationError);
    expect(calls).toEqual([
      ['["gen_abc123def456","task.failed","1778217000"]', 121],
      ['["gen_abc123def456","task.failed","1778217000"]', 121],
    ]);
  });

  it.each([-1, NaN, Infinity])('throws RangeError on tolerance %s', (tolerance) => {
    expect(() => createReplayGuard({ tolerance })).toThrow(RangeError);
  });
});

describe('MemoryReplayStore', () => {
  it('stays within maxEntries, sweeping expired keys first, then the oldest', () => {
    const time = clock();
    const store = new MemoryReplayStore({ maxEntries: 3, now: time.now });
    store.setIfAbsent('a', 10);
    store.setIfAbsent('b', 100);
    store.setIfAbsent('c', 100);
    time.advance(11); // 'a' expires
    expect(store.setIfAbsent('d', 100)).toBe(true);
    expect(store.size).toBe(3);
    expect(store.setIfAbsent('b', 100)).toBe(false);
    expect(store.setIfAbsent('e', 100)).toBe(true); // full: drops 'b', the oldest
    expect(store.size).toBe(3);
    expect(store.setIfAbsent('c', 100)).toBe(false);
    expect(store.setIfAbsent('b', 100)).toBe(true);
  });

  it.each([0, -1, 1.5])('throws RangeError on maxEntries %s', (maxEntries) => {
    expect(() => new MemoryReplayStore({ maxEntries })).toThrow(RangeError);
  });
});
