import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  LOCK_MS,
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

const SUITE = 'the multi-instance kill -9 suite';

const redis = useRedisServer(SUITE);

describe.skipIf(!redis.available)(SUITE, () => {
  let hook: Receiver | undefined;
  afterEach(async () => await hook?.close());

  /** After the webhook: the task ended once, as B tells it. */
  async function expectEndedOnce(b: Instance, id: string) {
    expect(await ok(b, 'GET', `/v1/tasks/${id}`)).toMatchObject({ id, status: 'completed' });
    const usage = await ok(b, 'GET', '/v1/usage');
    expect(usage.items.map((u: { task_id: string }) => u.task_id)).toEqual([id]);
  }

  it('ends a task mid-processing on another instance after its creator is killed', async () => {
    hook = await startReceiver();
    const prefix = redis.prefix('kill-processing');
    // A alone plans the task end; B starts only once A is dead, so B can only have it from the queue.
    const a = await startInstance('A', redis.url, prefix);
    await ok(a, 'PATCH', '/__admin/config', { timing: { queueMs: 0, processingMs: 2_000 } });
    const id = await createTask(a, { webhook_url: hook.url });
    // Read once, well before its end (a read of a due task would end it itself).
    expect(await ok(a, 'GET', `/v1/tasks/${id}`)).toMatchObject({ status: 'processing' });
    await a.kill();
    const b = await startInstance('B', redis.url, prefix);

    // Nobody polls the task: only B's worker running the queued end-task job can send this.
    const received = hook;
    await expect
      .poll(() => received.of(id).length, { ...SLOW, message: 'the webhook via B' })
      .toBeGreaterThan(0);
    // Nothing is left in the queue: a job run twice would have sent again by now.
    await drained(b);
    expect(received.of(id).map((hit) => hit.status)).toEqual([200]);
    const [delivery] = await deliveriesOf(b, id);
    expect(delivery).toMatchObject({ task_id: id, state: 'succeeded' });
    expect(delivery!.attempts.map((attempt) => attempt.status)).toEqual([200]);
    await expectEndedOnce(b, id);
  });

  it('sends the retry planned by a killed instance from another one, at its planned time', async () => {
    hook = await startReceiver((_task, nth) => (nth === 1 ? 500 : 200));
    const prefix = redis.prefix('kill-backoff');
    const a = await startInstance('A', redis.url, prefix);
    await ok(a, 'PATCH', '/__admin/config', { webhooks: { backoffBaseMs: 1_500 } });
    const id = await createTask(a, { webhook_url: hook.url });

    // A made the first attempt and planned the retry: kill it while the retry waits.
    const waiting = await vi.waitFor(async () => {
      const [delivery] = await deliveriesOf(a, id);
      expect(
        delivery?.next_attempt_at,
        'the first attempt recorded, its retry planned',
      ).toBeTruthy();
      return delivery!;
    }, SLOW);
    expect(waiting.attempts.map((attempt) => attempt.status)).toEqual([500]);
    await a.kill();
    const b = await startInstance('B', redis.url, prefix);

    const received = hook;
    await expect
      .poll(() => received.of(id).length, { ...SLOW, message: 'the retry via B' })
      .toBeGreaterThan(1);
    await drained(b);
    const hits = received.of(id);
    expect(hits.map((hit) => hit.status)).toEqual([500, 200]);
    // The retry kept its backoff (1.5 s), whoever sent it.
    expect(hits[1]!.at - hits[0]!.at).toBeGreaterThanOrEqual(1_450);
    const [delivery] = await deliveriesOf(b, id);
    expect(delivery!.state).toBe('succeeded');
    expect(delivery!.attempts.map((attempt) => [attempt.attempt, attempt.status])).toEqual([
      [1, 500],
      [2, 200],
    ]);
    await expectEndedOnce(b, id);
  });

  it('runs again on another instance an attempt its killed instance left unanswered', async () => {
    // The first request never gets an answer: A dies holding the job's lock.
    hook = await startReceiver((_task, nth) => (nth === 1 ? 0 : 200));
    const prefix = redis.prefix('kill-attempt');
    const a = await startInstance('A', redis.url, prefix);
    await ok(a, 'PATCH', '/__admin/config', { webhooks: { timeoutMs: 1_000 } });
    const id = await createTask(a, { webhook_url: hook.url });
    const received = hook;
    await expect
      .poll(() => received.of(id).length, { ...SLOW, message: 'the first attempt in flight' })
      .toBeGreaterThan(0);
    await a.kill();
    const b = await startInstance('B', redis.url, prefix);

    // A's attempt was recorded before it was sent: nobody sends the next one while it may still
    // be on the wire. Once twice its timeout and six locks have passed (2 + 3 s), it counts as
    // lost and B makes the next attempt (never lost, never two at once).
    await expect
      .poll(() => received.of(id).length, { ...SLOW, message: 'the next attempt via B' })
      .toBeGreaterThan(1);
    await drained(b);
    expect(received.of(id).map((hit) => hit.status)).toEqual([0, 200]);
    const gap = received.of(id)[1]!.at - received.of(id)[0]!.at;
    expect(gap).toBeGreaterThanOrEqual(2 * 1_000 + 6 * LOCK_MS - 100);
    const [delivery] = await deliveriesOf(b, id);
    expect(delivery!.state).toBe('succeeded');
    // Every attempt sent is in the log: A's, with no answer recorded, then B's.
    expect(delivery!.attempts.map((attempt) => attempt.status ?? attempt.error)).toEqual([
      'lost: the instance making this attempt recorded no outcome',
      200,
    ]);
  });
});
