import { describe, expect, it } from 'vitest';
import { call, validRequest } from '../support/harness.js';
import { completedTask, fakeUpstream, json, logLines, proxyTo, realUpstream } from './support.js';

/** An upstream that has drifted: a status the contract does not know, and no `cost`. */
async function driftingUpstream() {
  const task = await completedTask();
  const { cost: _dropped, ...withoutCost } = task;
  return {
    task,
    upstream: await fakeUpstream((_req, res) =>
      json(
        res,
        200,
        { data: { ...withoutCost, status: 'done' }, error: null },
        {
          'x-request-id': 'req_drift',
        },
      ),
    ),
  };
}

describe('contract violations', () => {
  it('passes a drifted answer through, and keeps, logs and counts each violation', async () => {
    const { task, upstream } = await driftingUpstream();
    const logs = logLines();
    const proxy = await proxyTo(upstream, {}, logs);
    const answer = await call(proxy, 'GET', `/v1/tasks/${task.id}`);
    expect(answer.status).toBe(200);
    expect(answer.body.data.status).toBe('done');

    const violations = await call(proxy, 'GET', '/__admin/violations');
    expect(violations.status).toBe(200);
    expect(violations.body.data).toEqual([
      {
        id: 'vi_1',
        at: expect.any(String),
        direction: 'response',
        method: 'GET',
        path: `/v1/tasks/${task.id}`,
        status: 200,
        issues: expect.arrayContaining([
          { path: 'body.data.status', message: 'undocumented status "done"' },
          expect.objectContaining({ path: 'body.data.cost' }),
        ]),
        request_id: 'req_drift',
      },
    ]);
    const warn = logs.lines.find((line) => line.level === 40);
    expect(warn?.msg).toMatch(
      new RegExp(
        `^contract violation \\(response\\) GET /v1/tasks/${task.id} → 200: .*undocumented status "done"`,
      ),
    );
    expect(warn?.req_id).toBe('req_drift');

    await proxy.close();
    const shutdown = logs.lines.find((line) => String(line.msg).startsWith('shut down'));
    expect(shutdown).toMatchObject({ contract_violations: 1 });
  });

  it('records a violating request, still forwarded (the upstream answers it)', async () => {
    const upstream = await realUpstream();
    const proxy = await proxyTo(upstream);
    const answer = await call({ ...proxy, apiKey: upstream.apiKey }, 'POST', '/v1/generate', {
      body: { ...validRequest, num_outputs: 99, extra: true },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('VALIDATION_ERROR');
    const missingKey = await call(proxy, 'GET', '/v1/tasks', { auth: null });
    expect(missingKey.status).toBe(401);

    const [second, first] = proxy.engine.violations();
    expect(first).toMatchObject({
      direction: 'request',
      method: 'POST',
      path: '/v1/generate',
      status: 400,
      issues: expect.arrayContaining([expect.objectContaining({ path: 'body.num_outputs' })]),
    });
    expect(second).toMatchObject({
      direction: 'request',
      path: '/v1/tasks',
      status: 401,
      issues: [{ path: 'headers.authorization', message: 'missing' }],
    });
    // The upstream's answers were what the contract documents: no response violation.
    expect(proxy.engine.violations().every((v) => v.direction === 'request')).toBe(true);
    await call(proxy, 'POST', '/__admin/reset');
    expect((await call(proxy, 'GET', '/__admin/violations')).body.data).toEqual([]);
  });

  it('with proxyErrors, answers a violating answer 502 UPSTREAM_CONTRACT_VIOLATION with the issues', async () => {
    const { task, upstream } = await driftingUpstream();
    const proxy = await proxyTo(upstream, { proxyErrors: true });
    const answer = await call(proxy, 'GET', `/v1/tasks/${task.id}`);
    expect(answer.status).toBe(502);
    expect(answer.headers.get('x-request-id')).toBe('req_drift');
    expect(answer.body).toEqual({
      data: null,
      error: {
        code: 'UPSTREAM_CONTRACT_VIOLATION',
        message: expect.stringContaining(
          `${upstream.url} answered 200 differently from the contract`,
        ),
        details: expect.arrayContaining([
          { path: 'body.data.status', message: 'undocumented status "done"' },
        ]),
      },
    });
    expect(proxy.engine.violations()[0]).toMatchObject({ direction: 'response', status: 502 });
  });

  it('with proxyErrors, passes a conforming answer through', async () => {
    const upstream = await realUpstream();
    const proxy = await proxyTo(upstream, { proxyErrors: true });
    const answer = await call({ ...proxy, apiKey: upstream.apiKey }, 'GET', '/v1/tasks');
    expect(answer.status).toBe(200);
    expect(proxy.engine.violations()).toEqual([]);
  });

  it('flags an undocumented status code and error code', async () => {
    const upstream = await fakeUpstream((_req, res) =>
      json(res, 418, { data: null, error: { code: 'TEAPOT', message: 'short and stout' } }),
    );
    const proxy = await proxyTo(upstream);
    const answer = await call(proxy, 'GET', '/v1/usage');
    expect(answer.status).toBe(418);
    expect(answer.body.error.code).toBe('TEAPOT');
    expect(proxy.engine.violations()[0]!.issues).toEqual([
      expect.objectContaining({
        path: 'status',
        message: expect.stringContaining('418 is not an answer'),
      }),
    ]);
  });
});
