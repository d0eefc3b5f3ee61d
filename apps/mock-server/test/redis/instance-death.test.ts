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

const SUITE = 'the multi-instance kill -9 suite';

describe.skipIf(!serviceAvailable('redis-server', 'redis-server', SUITE))(SUITE, () => {
  let redis: RedisServer;
  let hook: Receiver | undefined;
  beforeAll(async () => void (redis = await startRedisServer()));
  afterEach(async () => await hook?.close());
  afterAll(async () => await redis?.close());

  /** No further request reaches the receiver for a while (a job run twice would show here). */
  const quiet = () => new Promise((resolve) => setTimeout(resolve, 2 * LOCK_MS));

  /** After the webhook: the task ended once, as B tells it. */
  async function expectEndedOnce(b: Instance, id: string) {
    expect(await ok(b, 'GET', `/v1/tasks/${id}`)).toMatchObject({ id, status: 'completed' });
    const usage = await ok(b, 'GET', '/v1/usage');
    expect(usage.items.map((u: { task_id: string }) => u.task_id)).toEqual([id]);
  }

  it('ends a task mid-processing on another instance after its creator is killed', async () => {
    hook = await startReceiver();
    const prefix = uniquePrefix('kill-processing');
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
    await until('the webhook via B', () => received.of(id).length > 0, { timeoutMs: 10_000 });
    await quiet();
    expect(received.of(id).map((hit) => hit.status)).toEqual([200]);
    const [delivery] = await deliveriesOf(b, id);
    expect(delivery).toMatchObject({ task_id: id, state: 'succeeded' });
    expect(delivery!.attempts.map((attempt) => attempt.status)).toEqual([200]);
    await expectEndedOnce(b, id);
  });

  it('sends the retry planned by a killed instance from another one, at its planned time', async () => {
    hook = await startReceiver((_task, nth) => (nth === 1 ? 500 : 200));
    const prefix = uniquePrefix('kill-backoff');
    const a = await startInstance('A', redis.url, prefix);
    await ok(a, 'PATCH', '/__admin/config', { webhooks: { backoffBaseMs: 1_500 } });
    const id = await createTask(a, { webhook_url: hook.url });

    // A made the first attempt and planned the retry: kill it while the retry waits.
    const waiting = await until('the first attempt recorded with its retry planned', async () => {
      const [delivery] = await deliveriesOf(a, id);
      return delivery?.next_attempt_at != null && delivery;
    });
    expect(waiting.attempts.map((attempt) => attempt.status)).toEqual([500]);
    await a.kill();
    const b = await startInstance('B', redis.url, prefix);

    const received = hook;
    await until('the retry via B', () => received.of(id).length > 1, { timeoutMs: 10_000 });
    await quiet();
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
    const prefix = uniquePrefix('kill-attempt');
    const a = await startInstance('A', redis.url, prefix);
    await ok(a, 'PATCH', '/__admin/config', { webhooks: { timeoutMs: 1_000 } });
    const id = await createTask(a, { webhook_url: hook.url });
    const received = hook;
    await until('the first attempt in flight', () => received.of(id).length > 0);
    await a.kill();
    const b = await startInstance('B', redis.url, prefix);

    // A's attempt was recorded before it was sent: nobody sends the next one while it may still
    // be on the wire. Once twice its timeout and six locks have passed (2 + 3 s), it counts as
    // lost and B makes the next attempt (never lost, never two at once).
    await until('the next attempt via B', () => received.of(id).length > 1, { timeoutMs: 15_000 });
    await quiet();
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
