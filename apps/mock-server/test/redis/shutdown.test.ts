import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createTask,
  deliveriesOf,
  ok,
  startInstance,
  startReceiver,
  SLOW,
  useRedisServer,
  type Instance,
  type Receiver,
} from './support.js';

const SUITE = 'the Redis graceful-shutdown suite';

/** Sends SIGTERM; resolves with the exit code once the process has exited. */
function terminate(instance: Instance): Promise<number | null> {
  return new Promise((resolve) => {
    instance.child.once('exit', (code) => resolve(code));
    instance.child.kill('SIGTERM');
  });
}

const redis = useRedisServer(SUITE);

describe.skipIf(!redis.available)(SUITE, () => {
  let hook: Receiver | undefined;
  afterEach(async () => await hook?.close());

  it('abandons nothing: a planned task end stays queued and another instance runs it', async () => {
    hook = await startReceiver();
    const prefix = redis.prefix('shutdown-planned');
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
    await expect
      .poll(() => received.of(id).length, { ...SLOW, message: 'the webhook via B' })
      .toBeGreaterThan(0);
    expect((await deliveriesOf(b, id))[0]).toMatchObject({ state: 'succeeded' });
  });

  it('puts an attempt still in flight after the grace period back in the queue', async () => {
    // The first request is never answered; the next ones are.
    hook = await startReceiver((_task, nth) => (nth === 1 ? 0 : 200));
    const prefix = redis.prefix('shutdown-in-flight');
    const a = await startInstance('A', redis.url, prefix, ['--shutdown-grace', '300']);
    const id = await createTask(a, { webhook_url: hook.url });
    const received = hook;
    await expect
      .poll(() => received.of(id).length, { ...SLOW, message: 'the first attempt on the wire' })
      .toBe(1);

    expect(await terminate(a)).toBe(0);
    expect(a.output()).toContain('0 unended task(s) and 1 undelivered webhook(s) stay queued');

    const b = await startInstance('B', redis.url, prefix);
    await expect
      .poll(() => received.of(id).length, { ...SLOW, message: 'the attempt again, via B' })
      .toBe(2);
    const [delivery] = await vi.waitFor(async () => {
      const deliveries = await deliveriesOf(b, id);
      expect(deliveries[0]?.state, 'the delivery settled').toBe('succeeded');
      return deliveries;
    }, SLOW);
    expect(delivery!.attempts.map((attempt) => attempt.status ?? attempt.error)).toEqual([
      'server shutting down',
      200,
    ]);
  });

  it('bounds SIGTERM by the grace period while Redis is down, then exits 1 saying what it could not confirm', async () => {
    // The first request is never answered: an attempt stays in flight.
    hook = await startReceiver(() => 0);
    const prefix = redis.prefix('shutdown-redis-down');
    const a = await startInstance('A', redis.url, prefix, ['--shutdown-grace', '1500']);
    const id = await createTask(a, { webhook_url: hook.url });
    const received = hook;
    await expect
      .poll(() => received.of(id).length, { ...SLOW, message: 'the attempt on the wire' })
      .toBe(1);
    await redis.server.kill();
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
      await redis.server.start();
    }
  });
});
