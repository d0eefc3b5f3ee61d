import { PRICE_PER_IMAGE_MICROS } from '@eggapi/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SLOW,
  createTask,
  deliveriesOf,
  ok,
  startInstance,
  startReceiver,
  drained,
  useRedisServer,
  type Receiver,
} from './support.js';

const SUITE = 'the multi-instance Redis restart suite';

const redis = useRedisServer(SUITE, { appendonly: true });

describe.skipIf(!redis.available)(SUITE, () => {
  let hook: Receiver | undefined;
  afterEach(async () => await hook?.close());

  it('loses nothing when Redis (with AOF) restarts between a create and its end', async () => {
    hook = await startReceiver();
    const prefix = redis.prefix('restart');
    const [a, b] = await Promise.all([
      startInstance('A', redis.url, prefix),
      startInstance('B', redis.url, prefix),
    ]);
    await ok(a, 'PATCH', '/__admin/config', {
      balances: { sk_test_eggapi: 10 * PRICE_PER_IMAGE_MICROS },
    });
    const before = await createTask(a, { prompt: 'ended before the restart' });
    expect(await ok(b, 'GET', `/v1/tasks/${before}`)).toMatchObject({ status: 'completed' });
    // One task falls due while Redis is down, the other after it is back.
    await ok(b, 'PATCH', '/__admin/config', { timing: { queueMs: 0, processingMs: 2_500 } });
    const dueAfter = await createTask(b, { webhook_url: hook.url });
    await ok(a, 'PATCH', '/__admin/config', { timing: { queueMs: 0, processingMs: 1_000 } });
    const dueWhileDown = await createTask(a, { webhook_url: hook.url, num_outputs: 2 });
    const due = performance.now() + 1_000;

    await redis.server.stop();
    // Down until that task is past due (a deadline on the clock, not a guessed sleep).
    await expect
      .poll(() => performance.now(), { timeout: 5_000, interval: 20 })
      .toBeGreaterThan(due + 200);
    await redis.server.start();
    const restarted = performance.now();

    // Not polled: the end-task jobs survived the restart and workers ran them.
    const received = hook;
    const ids = [dueWhileDown, dueAfter];
    const waiting = () => ids.filter((id) => received.of(id).length === 0);
    await expect.poll(waiting, { ...SLOW, message: 'both webhooks after the restart' }).toEqual([]);
    // A job run twice would have sent again before it left the queue.
    await drained(a);
    for (const id of ids) {
      expect(received.of(id).map((hit) => hit.status)).toEqual([200]);
      expect(received.of(id)[0]!.at).toBeGreaterThan(restarted);
    }
    for (const instance of [a, b]) {
      for (const id of ids) {
        expect(await ok(instance, 'GET', `/v1/tasks/${id}`)).toMatchObject({ status: 'completed' });
        const [delivery] = await deliveriesOf(instance, id);
        expect(delivery!.attempts.map((attempt) => attempt.status)).toEqual([200]);
      }
      const usage = await ok(instance, 'GET', '/v1/usage');
      expect(usage.items.map((u: { task_id: string }) => u.task_id).sort()).toEqual(
        [before, ...ids].sort(),
      );
      // 10 images paid for, 1 + 2 + 1 used.
      expect((await ok(instance, 'GET', '/__admin/config')).balances).toEqual({
        'sk_t…ggapi': 6 * PRICE_PER_IMAGE_MICROS,
      });
    }
    expect((await ok(b, 'GET', '/v1/tasks')).pagination.total).toBe(3);
  });
});
