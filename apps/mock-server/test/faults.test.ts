import { describe, expect, it } from 'vitest';
import { call, createTask, mockServer, validRequest } from './support/harness.js';

describe('fault injection by header', () => {
  it.each([
    ['429; retry-after=2', 429, 'RATE_LIMITED', '2'],
    ['500', 500, 'INTERNAL_ERROR', null],
    ['502', 502, 'UPSTREAM_ERROR', null],
    ['503; retry-after=1', 503, 'SERVICE_UNAVAILABLE', '1'],
  ])(
    'X-EggAPI-Mock-Fault: %s answers %i %s once, then passes',
    async (value, status, code, retryAfter) => {
      const server = await mockServer();
      const headers = { 'x-eggapi-mock-fault': value };
      const first = await call(server, 'GET', '/v1/tasks', { headers });
      expect(first.status).toBe(status);
      expect(first.body).toEqual({
        data: null,
        error: { code, message: expect.stringContaining('injected') },
      });
      expect(first.headers.get('retry-after')).toBe(retryAfter);
      expect((await call(server, 'GET', '/v1/tasks', { headers })).status).toBe(200);
    },
  );

  it('faults the first n requests with times=n, counting per route', async () => {
    const server = await mockServer();
    const headers = { 'x-eggapi-mock-fault': '503; times=2' };
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (await call(server, 'POST', '/v1/generate', { body: validRequest, headers })).status,
      );
    }
    expect(statuses).toEqual([503, 503, 202]);
    expect((await call(server, 'GET', '/v1/tasks', { headers })).status).toBe(503);
    expect((await call(server, 'GET', '/v1/tasks')).body.data.pagination.total).toBe(1);
  });

  it('drops the connection with reset', async () => {
    const server = await mockServer();
    await expect(
      call(server, 'GET', '/v1/tasks', { headers: { 'x-eggapi-mock-fault': 'reset' } }),
    ).rejects.toThrow();
    expect((await call(server, 'GET', '/v1/tasks')).status).toBe(200);
  });

  it('rejects a fault header that does not parse', async () => {
    const server = await mockServer();
    const answer = await call(server, 'GET', '/v1/tasks', {
      headers: { 'x-eggapi-mock-fault': '418' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(/^X-EggAPI-Mock-Fault:/);
  });
});

describe('fault injection through the admin API', () => {
  it('faults the next matching requests only', async () => {
    const server = await mockServer();
    const queued = await call(server, 'POST', '/__admin/faults', {
      auth: null,
      body: { kind: '502', route: 'GET /v1/tasks/*', times: 2 },
    });
    expect(queued.status).toBe(201);
    const id = await createTask(server);
    expect((await call(server, 'GET', '/v1/tasks')).status).toBe(200);
    expect((await call(server, 'GET', `/v1/tasks/${id}`)).status).toBe(502);
    expect((await call(server, 'GET', `/v1/tasks/${id}`)).status).toBe(502);
    expect((await call(server, 'GET', `/v1/tasks/${id}`)).status).toBe(200);
  });

  it('applies to any route when none is given, and can be cleared', async () => {
    const server = await mockServer();
    await server.injectFault({ kind: '429', retryAfterSeconds: 3 });
    const limited = await call(server, 'GET', '/v1/usage');
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '3']);
    await server.injectFault({ kind: '500', times: 5 });
    await call(server, 'DELETE', '/__admin/faults', { auth: null });
    expect((await call(server, 'GET', '/v1/usage')).status).toBe(200);
  });
});

describe('rate limit', () => {
  it('answers 429 RATE_LIMITED with Retry-After past the per-IP limit', async () => {
    const clock = { t: Date.parse('2026-01-01T00:00:00.200Z') };
    const server = await mockServer({ rateLimit: { requestsPerSecond: 3 }, now: () => clock.t });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(server, 'GET', '/v1/tasks')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await call(server, 'GET', '/v1/tasks');
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(limited.headers.get('retry-after')).toBe('1');
    clock.t += 1000;
    expect((await call(server, 'GET', '/v1/tasks')).status).toBe(200);
  });

  it('takes `true` for upstream’s 100 requests/second', async () => {
    const t = Date.parse('2026-01-01T00:00:00.100Z'); // one window for the whole test
    const server = await mockServer({ rateLimit: true, now: () => t });
    const statuses = await Promise.all(
      Array.from({ length: 101 }, async () => (await call(server, 'GET', '/v1/tasks')).status),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(100);
    expect(statuses.filter((status) => status === 429)).toHaveLength(1);
  });

  it('takes the same forms at runtime through the admin API', async () => {
    const server = await mockServer();
    for (const [rateLimit, read] of [
      [true, 100],
      [{ requestsPerSecond: 7 }, 7],
      [false, false],
    ] as const) {
      const patched = await call(server, 'PATCH', '/__admin/config', {
        auth: null,
        body: { rateLimit },
      });
      expect(patched.status).toBe(200);
      expect(patched.body.data.rateLimit).toBe(read);
      expect((await server.engine.config()).rateLimit).toBe(read);
    }
  });

  it('is off by default and can be switched on at runtime', async () => {
    const t = Date.parse('2026-01-01T00:00:00.100Z'); // one window for the whole test
    const server = await mockServer({ now: () => t });
    for (let i = 0; i < 5; i++) expect((await call(server, 'GET', '/v1/tasks')).status).toBe(200);
    await call(server, 'PATCH', '/__admin/config', { auth: null, body: { rateLimit: 1 } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(server, 'GET', '/v1/tasks')).status);
    expect(statuses).toContain(429);
  });
});
