import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { useRedisServer } from '../../../test-support/redis.mjs';
import { createMockApp, startMockServer, type MockServerOptions } from '../src/index.js';
import { call, createTask, mockServer, validRequest } from './support/harness.js';

const redis = useRedisServer('the shared Redis state tests');

describe.skipIf(!redis.available)('two mock servers on one Redis prefix', () => {
  let prefix = '';

  /** Two servers on a fresh prefix of the test Redis. */
  const pair = async (options: MockServerOptions = {}) => {
    const shared = { ...options, redis: { url: redis.url, prefix: (prefix = redis.prefix()) } };
    return [await mockServer(shared), await mockServer(shared)] as const;
  };

  it('answers health with the store in use: redis and its reachability, or memory', async () => {
    const [a] = await pair();
    const health = await call(a, 'GET', '/__admin/health');
    expect(health.status).toBe(200);
    expect(health.body.data).toMatchObject({
      status: 'ok',
      store: 'redis',
      redis: {
        url: redis.url,
        prefix,
        reachable: true,
        jobs: { waiting: 0, delayed: 0, active: 0, failed: 0 },
      },
      tasks: 0,
    });
    const memory = await call(await mockServer(), 'GET', '/__admin/health');
    expect(memory.body.data).toMatchObject({ status: 'ok', store: 'memory' });
    expect(memory.body.data.redis).toBeUndefined();
  });

  it('refuses to move the clock (409 CONFLICT): planned work runs on Redis time', async () => {
    const [a] = await pair();
    const before = await call(a, 'GET', '/__admin/clock');
    expect(before.body.data.mode).toBe('real');
    const moved = await call(a, 'POST', '/__admin/clock/advance', { body: { ms: 1_000 } });
    expect(moved.status).toBe(409);
    expect(moved.body.error).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('with a shared store (Redis)'),
    });
    await expect(a.advance(1_000)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('replays an idempotent create on the other instance and refuses another body there', async () => {
    const [a, b] = await pair();
    const headers = { 'Idempotency-Key': 'shared-key-1' };
    const first = await call(a, 'POST', '/v1/generate', { body: validRequest, headers });
    const again = await call(b, 'POST', '/v1/generate', { body: validRequest, headers });
    expect(again.status).toBe(202);
    expect(again.body.data.id).toBe(first.body.data.id);
    const other = await call(b, 'POST', '/v1/generate', {
      body: { ...validRequest, prompt: 'another' },
      headers,
    });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_CONFLICT');
    expect((await call(b, 'GET', '/v1/tasks')).body.data.pagination.total).toBe(1);
  });

  it('counts the polls of a polls scenario across instances', async () => {
    const [a, b] = await pair({ timing: 'realistic' });
    const id = await createTask(a, validRequest, { 'X-EggAPI-Mock-Scenario': 'polls=3' });
    expect((await call(a, 'GET', `/v1/tasks/${id}`)).body.data.status).toBe('processing');
    expect((await call(b, 'GET', `/v1/tasks/${id}`)).body.data.status).toBe('processing');
    expect((await call(a, 'GET', `/v1/tasks/${id}`)).body.data.status).toBe('completed');
    expect((await call(b, 'GET', '/v1/usage')).body.data.items).toHaveLength(1);
  });

  it('shares the per-IP rate limit, balances, settings and faults', async () => {
    // One instant for both (an injected clock): the five calls fall in one one-second window.
    const instant = Date.now();
    const [a, b] = await pair({ rateLimit: { requestsPerSecond: 1_000 }, now: () => instant });
    await call(a, 'PATCH', '/__admin/config', {
      body: { rateLimit: 4, balances: { sk_test_eggapi: 10_000 } },
    });
    expect((await call(b, 'GET', '/__admin/config')).body.data).toMatchObject({
      rateLimit: 4,
      balances: { 'sk_t…ggapi': 10_000 },
    });
    // Both answer from one window per client IP: 4 requests pass in all, the 5th is refused.
    const statuses: number[] = [];
    for (const server of [a, b, a, b, a]) {
      statuses.push((await call(server, 'GET', '/v1/tasks')).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    await call(a, 'PATCH', '/__admin/config', { body: { rateLimit: false } });

    await createTask(a);
    expect((await call(b, 'GET', '/__admin/config')).body.data.balances['sk_t…ggapi']).toBe(0);
    const refused = await call(b, 'POST', '/v1/generate', { body: validRequest });
    expect(refused.body.error.code).toBe('INSUFFICIENT_BALANCE');

    await call(a, 'POST', '/__admin/faults', { body: { kind: '503', times: 1 } });
    expect((await call(b, 'GET', '/v1/tasks')).status).toBe(503);
    expect((await call(a, 'GET', '/v1/tasks')).status).toBe(200);
  });

  it('keeps independent mocks apart by prefix: reset clears only its own', async () => {
    const [a] = await pair();
    const [other] = await pair();
    await createTask(a);
    await createTask(other);
    expect((await call(a, 'POST', '/__admin/reset')).status).toBe(200);
    expect((await call(a, 'GET', '/v1/tasks')).body.data.pagination.total).toBe(0);
    expect((await call(other, 'GET', '/v1/tasks')).body.data.pagination.total).toBe(1);
  });

  it('closes its Redis connections when it cannot listen, so the process can exit', async () => {
    const [a] = await pair();
    const admin = new Redis(redis.url);
    try {
      const clients = async () =>
        String(await admin.client('LIST'))
          .trim()
          .split('\n').length;
      const before = await clients();
      await expect(
        startMockServer({ port: a.port, redis: { url: redis.url, prefix: 'taken-port' } }),
      ).rejects.toThrow(/EADDRINUSE/);
      await expect.poll(clients).toBe(before);
    } finally {
      admin.disconnect();
    }
  });

  it('refuses to start when Redis cannot be reached, naming the URL', async () => {
    const dead = `redis://127.0.0.1:${redis.server.port + 1}`;
    await expect(startMockServer({ redis: { url: dead } })).rejects.toThrow(
      `cannot reach Redis at ${dead}`,
    );
    expect(() => createMockApp({ redis: { url: redis.url } })).toThrow(/use startMockServer/);
    await expect(startMockServer({ redis: { url: 'http://x' } })).rejects.toThrow(
      /redis\.url: must be a redis:\/\/ or rediss:\/\/ URL/,
    );
  });
});
