import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createTask,
  deliveriesOf,
  ok,
  serviceAvailable,
  startInstance,
  startReceiver,
  startRedisServer,
  uniquePrefix,
  until,
  call,
  type Receiver,
  type RedisServer,
} from './support.js';

const SUITE = 'the Redis stall suite';
/** Tasks with webhooks, ending before, during and after the stall. */
const TASKS = 150;
const STALL_MS = 5_000;

describe.skipIf(!serviceAvailable('redis-server', 'redis-server', SUITE))(SUITE, () => {
  let redis: RedisServer;
  let hook: Receiver | undefined;
  beforeAll(async () => void (redis = await startRedisServer()));
  afterEach(async () => await hook?.close());
  afterAll(async () => await redis?.close());

  it(
    'delivers every webhook exactly once through a 5 s Redis stall, and records every attempt sent',
    { timeout: 90_000 },
    async () => {
      // Every third task's receiver fails its first attempt, so retries are planned and in flight
      // around the stall; answers take 700 ms, so many attempts are on the wire when it starts.
      hook = await startReceiver(
        (task, nth) => (nth === 1 && task.charCodeAt(task.length - 1) % 3 === 0 ? 500 : 200),
        700,
      );
      const prefix = uniquePrefix('stall');
      // A short job lock: the stall outlasts it, so jobs in flight lose their locks.
      const args = ['--redis-lock', '1000'];
      const instances = await Promise.all(
        ['A', 'B', 'C'].map((name) => startInstance(name, redis.url, prefix, args)),
      );
      await ok(instances[0]!, 'PATCH', '/__admin/config', {
        // A claim written as the stall began is read back for up to one timeout: longer than it.
        webhooks: { backoffBaseMs: 400, timeoutMs: 6_000 },
      });
      // Ends spread over 0.5–3 s, most of them around the start of the stall (at 1.5 s): task
      // ends and webhook attempts are under way in every instance when Redis stops answering.
      const ids = await Promise.all(
        Array.from({ length: TASKS }, (_, n) =>
          createTask(instances[n % 3]!, {
            prompt: `stalled ${n} [[mock: delay=${500 + Math.round((n / TASKS) * 2_500)}]]`,
            webhook_url: hook!.url,
          }),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const stalled = redis.stall(STALL_MS);
      // DEBUG SLEEP says nothing when it begins: give its connection a moment to reach Redis.
      await new Promise((resolve) => setTimeout(resolve, 200));
      // During the stall, the API answers 503 after about --redis-timeout (1 s; here, under this
      // load, at most 2.5 s), then at once while Redis still stalls.
      const during = await Promise.all(
        instances.map((instance) => call(instance, 'GET', `/v1/tasks/${ids[0]}`)),
      );
      const again = await Promise.all(
        instances.map((instance) => call(instance, 'GET', `/v1/tasks/${ids[0]}`)),
      );
      for (const answer of [...during, ...again]) expect(answer.status).toBe(503);
      for (const answer of during) expect(answer.ms).toBeLessThan(2_500);
      for (const answer of again) expect(answer.ms).toBeLessThan(500);
      await stalled;

      const received = hook;
      await until(
        'every task ended and its delivery settled',
        async () => {
          const lists = await Promise.all(ids.map((id) => deliveriesOf(instances[0]!, id)));
          return (
            lists.every((list) => list.length === 1 && list[0]!.state === 'succeeded') && lists
          );
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      // A duplicate from a job run twice would come within a few lock periods.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const problems: string[] = [];
      for (const id of ids) {
        const [delivery] = await deliveriesOf(instances[0]!, id);
        const hits = received.of(id);
        const successes = hits.filter((hit) => hit.status === 200).length;
        if (successes !== 1) problems.push(`${id}: ${successes} successful deliveries`);
        // Every attempt sent is recorded (one with no answer is recorded as such).
        if (delivery!.attempts.length !== hits.length) {
          problems.push(
            `${id}: ${hits.length} requests received, ${delivery!.attempts.length} attempts recorded`,
          );
        }
      }
      expect(problems).toEqual([]);
    },
  );
});
