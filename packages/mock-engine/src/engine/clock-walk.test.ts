import { GenerateRequestSchema, WEBHOOK_TIMESTAMP_HEADER } from '@eggapi/contracts';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../adapters/memory-store.js';
import { createEngine } from '../create-engine.js';
import { resolveEngineOptions, type MockEngineOptions } from '../options.js';
import type { WebhookSender } from './deliveries.js';
import { EngineError } from './errors.js';
import { storeInitOf } from './store-init.js';

const KEY = 'sk_test_eggapi';
const BASE = 'http://mock.test';
const T = Date.parse('2026-05-08T10:30:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const request = GenerateRequestSchema.parse({
  model: 'nanobanana',
  prompt: 'A red fox',
  webhook_url: 'https://receiver.test/hook',
});

/**
 * An engine on a virtual clock started at T: tasks queue 1 s and process 4 s, retries wait 1 s
 * then 2 s; the receiver answers `statuses` in turn (then 200) or, with `hold`, keeps each
 * attempt until the test answers it. What the receiver saw is kept in `seen`, with the mock's time.
 */
function engineOnVirtualClock(
  options: { statuses?: number[]; hold?: boolean } & MockEngineOptions = {},
) {
  const { statuses = [], hold = false, ...engineOptions } = options;
  const seen: { at: number; timestamp: string }[] = [];
  const held: ((status: number) => void)[] = [];
  const resolved = resolveEngineOptions({
    clock: 'virtual',
    now: () => T,
    timing: { queueMs: 1_000, processingMs: 4_000, jitter: 0 },
    webhooks: { backoffBaseMs: 1_000 },
    ...engineOptions,
  });
  const sender: WebhookSender = ({ headers }) => {
    seen.push({ at: resolved.now(), timestamp: headers[WEBHOOK_TIMESTAMP_HEADER]! });
    if (hold) return new Promise((resolve) => held.push((status) => resolve({ status })));
    return Promise.resolve({ status: statuses.shift() ?? 200 });
  };
  const engine = createEngine(resolved, { sign: () => ({}), sender });
  return { engine, seen, held };
}

describe('moving the clock (advanceClock)', () => {
  it('walks to each due time in turn: the retries planned inside a step go out at their own times', async () => {
    const { engine, seen } = engineOnVirtualClock({ statuses: [500, 500] });
    const { task } = await engine.createTask({ apiKey: KEY, request, baseUrl: BASE });
    expect(task.created_at).toBe('2026-05-08T10:30:00Z');

    // One step over the end (T+5 s) and both retries (T+6 s, T+8 s).
    expect(await engine.advanceClock(10_000)).toEqual({ now: iso(T + 10_000), mode: 'virtual' });
    expect(seen).toEqual(
      [5_000, 6_000, 8_000].map((ms) => ({ at: T + ms, timestamp: String((T + ms) / 1000) })),
    );
    const [delivery] = await engine.deliveries({ task_id: task.id });
    expect(delivery!.state).toBe('succeeded');
    expect(delivery!.attempts.map((a) => [a.at, a.status])).toEqual([
      [iso(T + 5_000), 500],
      [iso(T + 6_000), 500],
      [iso(T + 8_000), 200],
    ]);
    expect((await engine.getTask(KEY, task.id, BASE)).completed_at).toBe('2026-05-08T10:30:05Z');
    await engine.shutdown(0);
  });

  it('stands still until moved, and a step short of a due time applies nothing', async () => {
    const { engine, seen } = engineOnVirtualClock();
    const { task } = await engine.createTask({ apiKey: KEY, request, baseUrl: BASE });
    await engine.advanceClock(999);
    expect((await engine.getTask(KEY, task.id, BASE)).status).toBe('pending');
    await engine.advanceClock(1);
    expect((await engine.getTask(KEY, task.id, BASE)).status).toBe('processing');
    await engine.advanceClock(3_999);
    expect(seen).toEqual([]);
    expect(engine.clock()).toEqual({ now: iso(T + 4_999), mode: 'virtual' });
    await engine.shutdown(0);
  });

  it('takes steps asked for at once one after the other, each answering once its work is done', async () => {
    const { engine, seen, held } = engineOnVirtualClock({ hold: true });
    await engine.createTask({ apiKey: KEY, request, baseUrl: BASE });
    const order: string[] = [];
    const first = engine.advanceClock(5_000).then(() => order.push('first'));
    const second = engine.advanceClock(1_000).then(() => order.push('second'));
    await expect.poll(() => held.length).toBe(1);
    // The first step waits for its attempt; the second has not moved the clock meanwhile.
    expect(engine.clock().now).toBe(iso(T + 5_000));
    expect(order).toEqual([]);
    held[0]!(200);
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
    expect(engine.clock().now).toBe(iso(T + 6_000));
    expect(seen.map((s) => s.at)).toEqual([T + 5_000]);
    await engine.shutdown(0);
  });

  it.each([-1, 1.5, Number.NaN, Infinity, 365 * 24 * 3_600_000 + 1])(
    'refuses a step of %d ms with a RangeError, and takes the next good one',
    async (ms) => {
      const { engine } = engineOnVirtualClock();
      await expect(engine.advanceClock(ms)).rejects.toThrow(RangeError);
      expect(engine.clock().now).toBe(iso(T));
      await expect(engine.advanceClock(1)).resolves.toEqual({ now: iso(T + 1), mode: 'virtual' });
      await engine.shutdown(0);
    },
  );

  it('in real mode adds the step to the clock and walks the same way', async () => {
    const { engine, seen } = engineOnVirtualClock({ clock: 'real', statuses: [500] });
    await engine.createTask({ apiKey: KEY, request, baseUrl: BASE });
    expect(await engine.advanceClock(7_000)).toEqual({ now: iso(T + 7_000), mode: 'real' });
    expect(seen.map((s) => s.at)).toEqual([T + 5_000, T + 6_000]);
    await engine.shutdown(0);
  });

  it('after shutdown, moves the clock and runs nothing', async () => {
    const { engine, seen } = engineOnVirtualClock();
    await engine.createTask({ apiKey: KEY, request, baseUrl: BASE });
    await engine.shutdown(0);
    expect(await engine.advanceClock(60_000)).toEqual({ now: iso(T + 60_000), mode: 'virtual' });
    expect(seen).toEqual([]);
  });

  it('shuts down at once on a virtual clock, however far away the planned work is', async () => {
    const { engine } = engineOnVirtualClock();
    const { task } = await engine.createTask({ apiKey: KEY, request, baseUrl: BASE });
    expect(await engine.shutdown(60_000)).toEqual({
      unendedTasks: [task.id],
      undeliveredWebhooks: [],
    });
  });

  it('refuses a virtual clock over a shared store, and moving a real one', async () => {
    const shared = (mode: 'real' | 'virtual') => {
      const options = resolveEngineOptions({ clock: mode });
      const store = { ...createMemoryStore((salt) => storeInitOf(options, salt)), shared: true };
      return () => createEngine(options, { store, sign: () => ({}) });
    };
    expect(shared('virtual')).toThrow(
      new TypeError(
        "invalid mock options: clock: 'virtual' needs the memory store: with a shared store (Redis) planned work runs on Redis time across instances, which a test clock cannot move",
      ),
    );
    const engine = shared('real')();
    const refused = await engine.advanceClock(1_000).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(EngineError);
    expect(refused).toMatchObject({ code: 'CONFLICT', message: /shared store \(Redis\)/ });
    await engine.shutdown(0);
  });
});
