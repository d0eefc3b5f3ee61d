import { describe, expect, it } from 'vitest';
import { call, validRequest } from '../support/harness.js';
import { rawRequest } from '../../../../test-support/raw-http.mjs';
import { completedTask, fakeUpstream, json, proxyTo, realUpstream } from './support.js';

describe('the validating proxy passes answers through unchanged', () => {
  it('forwards each /v1 request with its own key to a real mock, which holds the state', async () => {
    const upstream = await realUpstream({ apiKeys: ['sk_live_upstream_only'] });
    const proxy = await proxyTo(upstream);
    const key = { apiKey: 'sk_live_upstream_only' };
    const created = await call({ ...proxy, ...key }, 'POST', '/v1/generate', {
      body: validRequest,
      headers: { 'idempotency-key': 'proxy-1', 'x-request-id': 'req-from-client' },
    });
    expect(created.status).toBe(202);
    expect(created.headers.get('x-request-id')).toBe('req-from-client');
    // The upstream created it, under the client's key: the proxy keeps no key of its own.
    const id = created.body.data.id as string;
    expect((await upstream.engine.task(id, upstream.url)).id).toBe(id);
    const again = await call({ ...proxy, ...key }, 'POST', '/v1/generate', {
      body: validRequest,
      headers: { 'idempotency-key': 'proxy-1' },
    });
    expect(again.body.data.id).toBe(id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    const throughProxy = await call({ ...proxy, ...key }, 'GET', `/v1/tasks/${id}`);
    const direct = await call({ ...upstream, ...key }, 'GET', `/v1/tasks/${id}`);
    expect(throughProxy.status).toBe(200);
    expect(throughProxy.text).toBe(direct.text);
    // Image links stay the upstream's.
    expect(throughProxy.body.data.output.url.startsWith(`${upstream.url}/images/`)).toBe(true);

    const unknownKey = await call({ ...proxy, apiKey: 'sk_test_eggapi' }, 'GET', '/v1/tasks');
    expect(unknownKey.status).toBe(401);
    expect(unknownKey.body.error.code).toBe('UNAUTHORIZED');
    expect(proxy.engine.violations()).toEqual([]);
  });

  it('passes status, body bytes, X-Request-Id, Retry-After and rate-limit headers as they came', async () => {
    const task = await completedTask();
    // Spacing and member order of its own: a re-serialized body would differ.
    const bytes = `{"data":   ${JSON.stringify(task, null, 1)},\n"error":null}`;
    const upstream = await fakeUpstream((_req, res) =>
      json(res, 200, bytes, {
        'x-request-id': 'req_upstream_1',
        'x-ratelimit-limit': '100',
        'x-ratelimit-remaining': '99',
        'retry-after': '1',
        'set-cookie': 'upstream=secret',
        'x-upstream-internal': 'yes',
      }),
    );
    const proxy = await proxyTo(upstream);
    const answer = await call(proxy, 'GET', `/v1/tasks/${task.id}`, {
      headers: { cookie: 'a=b', 'x-request-id': 'mine' },
    });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(bytes);
    expect(answer.headers.get('x-request-id')).toBe('req_upstream_1');
    expect(answer.headers.get('x-ratelimit-limit')).toBe('100');
    expect(answer.headers.get('x-ratelimit-remaining')).toBe('99');
    expect(answer.headers.get('retry-after')).toBe('1');
    expect(answer.headers.get('set-cookie')).toBeNull();
    expect(answer.headers.get('x-upstream-internal')).toBeNull();
    const [sent] = upstream.requests;
    expect(sent!.url).toBe(`/v1/tasks/${task.id}`);
    expect(sent!.headers.authorization).toBe(`Bearer ${proxy.apiKey}`);
    expect(sent!.headers['x-request-id']).toBe('mine');
    expect(sent!.headers.cookie).toBeUndefined();
    expect(proxy.engine.violations()).toEqual([]);
  });

  it('keeps the upstream base path and the query, and never leaves /v1', async () => {
    const upstream = await fakeUpstream((_req, res) =>
      json(res, 200, {
        data: { items: [], pagination: { page: 2, per_page: 5, total: 0, total_pages: 0 } },
        error: null,
      }),
    );
    const proxy = await proxyTo({ url: `${upstream.url}/base/` });
    await call(proxy, 'GET', '/v1/tasks?page=2&per_page=5');
    expect(upstream.requests[0]!.url).toBe('/base/v1/tasks?page=2&per_page=5');
    for (const path of [
      '/v1/%2e%2e/admin',
      '/v1/x/../../admin',
      '/v1/%2E%2e/%2e%2e/x',
      // Out of the base into a sibling of the same length whose /v1 would pass a sloppy check.
      '/v1/../../abcd/v1/tasks',
    ]) {
      const answer = await rawRequest(
        proxy.port,
        `GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${proxy.apiKey}\r\n\r\n`,
      );
      expect(answer.status).toBe(404);
    }
    expect(upstream.requests.map((request) => request.url)).toEqual([
      '/base/v1/tasks?page=2&per_page=5',
    ]);
  });

  it('records proxied requests in the request journal', async () => {
    const upstream = await realUpstream();
    const proxy = await proxyTo(upstream);
    const created = await call({ ...proxy, apiKey: upstream.apiKey }, 'POST', '/v1/generate', {
      body: validRequest,
    });
    const [entry] = await proxy.requests({ method: 'POST' });
    expect(entry).toMatchObject({
      path: '/v1/generate',
      status: 202,
      task_id: created.body.data.id,
      body: validRequest,
    });
  });
});
