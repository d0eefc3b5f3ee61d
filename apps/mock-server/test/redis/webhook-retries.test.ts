import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  SLOW,
  createTask,
  deliveriesOf,
  ok,
  startInstance,
  startReceiver,
  drained,
  useRedisServer,
  type Instance,
  type Receiver,
} from './support.js';

const SUITE = 'the multi-instance webhook-retries suite';
const TASKS = 9;

const redis = useRedisServer(SUITE);

describe.skipIf(!redis.available)(SUITE, () => {
  let hook: Receiver | undefined;
  afterEach(async () => await hook?.close());

  it('delivers each webhook exactly once after two failures, with one shared attempts log', async () => {
    // Fails the first two requests of every delivery, then succeeds.
    hook = await startReceiver((_task, nth) => (nth <= 2 ? 500 : 200));
    const prefix = redis.prefix('retries');
    const instances = await Promise.all(
      ['A', 'B', 'C'].map((name) => startInstance(name, redis.url, prefix)),
    );
    await ok(instances[0]!, 'PATCH', '/__admin/config', {
      webhooks: { backoffBaseMs: 150, timeoutMs: 2_000 },
    });
    const ids = await Promise.all(
      Array.from({ length: TASKS }, (_, n) =>
        createTask(instances[n % 3]!, { prompt: `hooked ${n}`, webhook_url: hook!.url }),
      ),
    );

    const received = hook;
    await expect
      .poll(() => ids.filter((id) => !received.of(id).some((hit) => hit.status === 200)), {
        timeout: 20_000,
        interval: 25,
        message: 'every delivery answered 200',
      })
      .toEqual([]);
    const all = (instance: Instance) => Promise.all(ids.map((id) => deliveriesOf(instance, id)));
    await vi.waitFor(async () => {
      const lists = await Promise.all(instances.map(all));
      const states = lists.flat(2).map((d) => d.state);
      expect(states, 'every delivery recorded as succeeded on every instance').toEqual(
        states.map(() => 'succeeded'),
      );
    }, SLOW);
    // Any late duplicate (a job run twice) would have been sent before its job left the queue.
    await drained(instances[0]!);

    for (const id of ids) {
      expect(received.of(id).map((hit) => hit.status)).toEqual([500, 500, 200]);
      // Every instance reads the same attempts log: 3 attempts, the last one succeeded.
      const logs = await Promise.all(instances.map((instance) => deliveriesOf(instance, id)));
      for (const log of logs) {
        expect(log).toHaveLength(1);
        expect(log[0]!.state).toBe('succeeded');
        expect(log[0]!.attempts.map((attempt) => [attempt.attempt, attempt.status])).toEqual([
          [1, 500],
          [2, 500],
          [3, 200],
        ]);
      }
      expect(logs[1]).toEqual(logs[0]);
      expect(logs[2]).toEqual(logs[0]);
      // The retries kept the backoff: ≥150 ms, then ≥300 ms between attempts.
      const at = received.of(id).map((hit) => hit.at);
      expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(140);
      expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(290);
    }
    expect(received.hits).toHaveLength(3 * TASKS);
  });
});
