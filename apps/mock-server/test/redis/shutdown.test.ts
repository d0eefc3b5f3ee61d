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
  type Instance,
  type Receiver,
  type RedisServer,
} from './support.js';

const SUITE = 'the Redis graceful-shutdown suite';

/** Sends SIGTERM; resolves with the exit code once the process has exited. */
function terminate(instance: Instance): Promise<number | null> {
  return new Promise((resolve) => {
    instance.child.once('exit', (code) => resolve(code));
    instance.child.kill('SIGTERM');
  });
}

describe.skipIf(!serviceAvailable('redis-server', 'redis-server', SUITE))(SUITE, () => {
  let redis: RedisServer;
  let hook: Receiver | undefined;
  beforeAll(async () => void (redis = await startRedisServer()));
  afterEach(async () => await hook?.close());
  afterAll(async () => await redis?.close());

  it('abandons nothing: a planned task end stays queued and another instance runs it', async () => {
    hook = await startReceiver();
    const prefix = uniquePrefix('shutdown-planned');
    const a = await startInstance('A', redis.url, prefix);
    await ok(a, 'PATCH', '/__admin/config', { timing: { queueMs: 0, processingMs: 1_500 } });
    const id = await createTask(a, { webhook_url: hook.url });

    expect(await terminate(a)).toBe(0);
    expect(a.output()).toContain(
      'shut down: nothing abandoned; 1 unended task(s) and 0 undelivered webhook(s) stay queued in Redis for the other instances or the next start',
    );
    expect(hook.of(id)).toEqual([]);

    // Nobody reads the task: B's worker ends it from the queue at its planned time.
    const b = await startInstance('B', redis.url, prefix);
    const received = hook;
    await until('the webhook via B', () => received.of(id).length > 0, { timeoutMs: 10_000 });
    expect((await deliveriesOf(b, id))[0]).toMatchObject({ state: 'succeeded' });
  });

  it('puts an attempt still in flight after the grace period back in the queue', async () => {
    // The first request is never answered; the next ones are.
    hook = await startReceiver((_task, nth) => (nth === 1 ? 0 : 200));
    const prefix = uniquePrefix('shutdown-in-flight');
    const a = await startInstance('A', redis.url, prefix, ['--shutdown-grace', '300']);
    const id = await createTask(a, { webhook_url: hook.url });
    const received = hook;
    await until('the first attempt on the wire', () => received.of(id).length === 1);

    expect(await terminate(a)).toBe(0);
    expect(a.output()).toContain('0 unended task(s) and 1 undelivered webhook(s) stay queued');

    const b = await startInstance('B', redis.url, prefix);
    await until('the attempt again, via B', () => received.of(id).length === 2, {
      timeoutMs: 10_000,
    });
    const [delivery] = await until('the delivery settled', async () => {
      const deliveries = await deliveriesOf(b, id);
      return deliveries[0]?.state === 'succeeded' && deliveries;
    });
    expect(delivery!.attempts.map((attempt) => attempt.status ?? attempt.error)).toEqual([
      'server shutting down',
      200,
    ]);
  });

  it('bounds SIGTERM by the grace period while Redis is down, then exits 1 saying what it could not confirm', async () => {
    // The first request is never answered: an attempt stays in flight.
    hook = await startReceiver(() => 0);
    const prefix = uniquePrefix('shutdown-redis-down');
    const a = await startInstance('A', redis.url, prefix, ['--shutdown-grace', '1500']);
    const id = await createTask(a, { webhook_url: hook.url });
    const received = hook;
    await until('the attempt on the wire', () => received.of(id).length === 1);
    await redis.kill();
    try {
      const started = performance.now();
      const code = await terminate(a);
      const took = performance.now() - started;
      expect(code).toBe(1);
      // The grace period, the second kept for closing, and process start-up slack.
      expect(took).toBeLessThan(1_500 + 1_000 + 2_500);
      expect(a.output()).toMatch(
        /shut down after the grace period with Redis unreachable|did not finish within the grace period/,
      );
    } finally {
      await redis.start();
    }
  });
});
