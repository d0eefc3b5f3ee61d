import { describe, expect, it } from 'vitest';
import { call, createTask, mockServer, validRequest } from './support/harness.js';
import { startReceiver } from './support/receiver.js';

describe('logs', () => {
  it('are silent by default and structured JSON lines, one per request, when enabled', async () => {
    const lines: string[] = [];
    const server = await mockServer({
      logLevel: 'info',
      logDestination: { write: (line) => lines.push(line) },
    });
    const answer = await call(server, 'GET', '/v1/tasks/gen_missing');
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toContainEqual(
      expect.objectContaining({
        level: 30,
        msg: 'request',
        req_id: answer.headers.get('x-request-id'),
        method: 'GET',
        url: '/v1/tasks/gen_missing',
        status: 404,
        ms: expect.any(Number),
      }),
    );
    const quietLines: string[] = [];
    const quiet = await mockServer({ logDestination: { write: (line) => quietLines.push(line) } });
    await call(quiet, 'GET', '/v1/tasks/gen_missing');
    expect(quietLines).toEqual([]);
  });

  it.each([
    ['/v1/tasks?page=2&per_page=5', '/v1/tasks'],
    ['/__admin/tasks?owner=sk_secret_in_a_query', '/__admin/tasks'],
    ['/__admin/config?token=pasted-admin-token', '/__admin/config'],
    ['/v1/tasks/gen_x?', '/v1/tasks/gen_x'],
    ['/nowhere?a=1?b=2#frag', '/nowhere'],
  ])('logs %s at info as its path %s, without the query string', async (target, path) => {
    const lines: string[] = [];
    const server = await mockServer({
      logLevel: 'info',
      logDestination: { write: (line) => lines.push(line) },
    });
    await call(server, 'GET', target);
    const requests = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.msg === 'request');
    expect(requests).toEqual([expect.objectContaining({ url: path })]);
    expect(lines.join('')).not.toContain('?');
  });

  it('logs every webhook attempt at info (task, url, attempt n/N, status or error, duration), never a raw key', async () => {
    const lines: string[] = [];
    const hook = await startReceiver([500]);
    try {
      const server = await mockServer({
        logLevel: 'info',
        logDestination: { write: (line) => lines.push(line) },
        webhooks: { backoffBaseMs: 10 },
      });
      const id = await createTask(server, { ...validRequest, webhook_url: hook.url });
      await server.waitForDeliveries(id, (d) => d[0]?.state === 'succeeded');
      await call(server, 'GET', `/__admin/tasks/${id}`, { auth: null });
      const attempts = lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((entry) => entry.msg === 'webhook attempt');
      expect(attempts).toEqual([
        expect.objectContaining({
          level: 30,
          task: id,
          url: hook.url,
          attempt: '1/5',
          status: 500,
          ms: expect.any(Number),
        }),
        expect.objectContaining({
          level: 30,
          task: id,
          url: hook.url,
          attempt: '2/5',
          status: 200,
        }),
      ]);
      expect(lines.join('')).not.toContain(server.apiKey);
    } finally {
      await hook.close();
    }
  });
});
