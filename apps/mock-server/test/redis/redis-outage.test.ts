import { afterEach, describe, expect, it } from 'vitest';
import {
  call,
  createTask,
  ok,
  REQUEST,
  startInstance,
  startReceiver,
  SLOW,
  useRedisServer,
  type Answer,
  type Instance,
  type Receiver,
} from './support.js';

const SUITE = 'the multi-instance Redis outage suite';

/** The part of `/__admin/health` read while Redis is away. */
type HealthAnswer = { data: { redis: { error?: string } } };
/** No request may hang longer than this while Redis is away. */
const QUICK_MS = 3_000;

const redis = useRedisServer(SUITE, { appendonly: true });

describe.skipIf(!redis.available)(SUITE, () => {
  let hook: Receiver | undefined;
  afterEach(async () => await hook?.close());

  /** The API's and admin routes' answers while Redis is away: every one a quick 503. */
  function requests(instance: Instance, id: string): Promise<[string, Answer][]> {
    const routes: [string, string, unknown?][] = [
      ['POST', '/v1/generate', { model: 'nanobanana', prompt: 'during the outage' }],
      ['GET', `/v1/tasks/${id}`],
      ['GET', '/v1/tasks'],
      ['GET', '/v1/usage'],
      ['GET', `/__admin/webhooks?task_id=${id}`],
      ['GET', '/__admin/config'],
      ['PATCH', '/__admin/config', { webhooks: { backoffBaseMs: 10 } }],
    ];
    return Promise.all(
      routes.map(async ([method, path, body]) => [
        `${method} ${path}`,
        await call(instance, method, path, body),
      ]),
    );
  }

  it('answers 503 envelopes quickly while Redis is stopped, then recovers by itself', async () => {
    hook = await startReceiver();
    const a = await startInstance('A', redis.url, redis.prefix('outage'));
    const before = await createTask(a);
    expect((await call(a, 'GET', '/__admin/health')).status).toBe(200);

    await redis.server.stop();
    // At once (connections just dropped) and again once a reconnect has been tried and refused.
    for (const round of [1, 2]) {
      if (round === 2) {
        await expect
          .poll(
            async () =>
              (await call<HealthAnswer>(a, 'GET', '/__admin/health')).body.data.redis.error,
            {
              ...SLOW,
              message: 'a reconnect refused',
            },
          )
          .toMatch(/ECONNREFUSED/);
      }
      for (const [route, answer] of await requests(a, before)) {
        expect({ route, round, status: answer.status, body: answer.body }).toEqual({
          route,
          round,
          status: 503,
          body: {
            data: null,
            error: { code: 'SERVICE_UNAVAILABLE', message: expect.any(String) },
          },
        });
        expect(answer.ms, `${route} (round ${round})`).toBeLessThan(QUICK_MS);
      }
      const health = await call(a, 'GET', '/__admin/health');
      expect(health.ms).toBeLessThan(QUICK_MS);
      expect(health.status).toBe(503);
      expect(health.body.data).toMatchObject({
        status: 'unavailable',
        store: 'redis',
        redis: { reachable: false, error: expect.any(String) },
        tasks: null,
      });
    }

    await redis.server.start();
    const restarted = performance.now();
    // The same process creates again within a few seconds; meanwhile every refusal is a 503
    // envelope (never a 500), and a refused create leaves no task behind.
    const statuses: number[] = [];
    await expect
      .poll(
        async () => {
          const answer = await call(a, 'POST', '/v1/generate', {
            ...REQUEST,
            prompt: 'recovering',
          });
          statuses.push(answer.status);
          return answer.status;
        },
        { timeout: 10_000, interval: 20, message: 'a create succeeding again' },
      )
      .toBe(202);
    expect(performance.now() - restarted).toBeLessThan(5_000);
    expect(statuses.filter((status) => status !== 503 && status !== 202)).toEqual([]);
    expect(await ok(a, 'GET', `/v1/tasks/${before}`)).toMatchObject({ status: 'completed' });
    expect((await ok(a, 'GET', '/v1/tasks')).pagination.total).toBe(2);
    const health = await call(a, 'GET', '/__admin/health');
    expect(health.status).toBe(200);
    expect(health.body.data).toMatchObject({ status: 'ok', redis: { reachable: true } });

    // Its worker is back too: a new task's end runs as a job (unpolled) and its webhook arrives.
    await ok(a, 'PATCH', '/__admin/config', { timing: { queueMs: 0, processingMs: 300 } });
    const after = await createTask(a, { webhook_url: hook.url });
    const received = hook;
    await expect
      .poll(() => received.of(after).length, {
        ...SLOW,
        message: 'the webhook of a task created after the outage',
      })
      .toBeGreaterThan(0);
    expect(received.of(after).map((hit) => hit.status)).toEqual([200]);
  });
});
