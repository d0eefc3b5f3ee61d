import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  LOCK_MS,
  createTask,
  deliveriesOf,
  ok,
  serviceAvailable,
  startInstance,
  startReceiver,
  startRedisServer,
  uniquePrefix,
  until,
  type Instance,
  type Receiver,
  type RedisServer,
} from './support.js';

const SUITE = 'the multi-instance webhook-retries suite';
const TASKS = 9;

describe.skipIf(!serviceAvailable('redis-server', 'redis-server', SUITE))(SUITE, () => {
  let redis: RedisServer;
  let hook: Receiver | undefined;
  beforeAll(async () => void (redis = await startRedisServer()));
  afterEach(async () => await hook?.close());
  afterAll(async () => await redis?.close());

  it('delivers each webhook exactly once after two failures, with one shared attempts log', async () => {
    // Fails the first two requests of every delivery, then succeeds.
    hook = await startReceiver((_task, nth) => (nth <= 2 ? 500 : 200));
    const prefix = uniquePrefix('retries');
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
    await until(
      'every delivery answered 200',
      () => ids.every((id) => received.of(id).some((hit) => hit.status === 200)),
      { timeoutMs: 20_000 },
    );
    // Any late duplicate (a job run twice) would come within a couple of lock periods.
    const all = (instance: Instance) => Promise.all(ids.map((id) => deliveriesOf(instance, id)));
    await until('every delivery recorded as succeeded on every instance', async () => {
      const lists = await Promise.all(instances.map(all));
      return lists.flat(2).every((d) => d.state === 'succeeded') && lists;
    });
    await new Promise((resolve) => setTimeout(resolve, 2 * LOCK_MS));

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
