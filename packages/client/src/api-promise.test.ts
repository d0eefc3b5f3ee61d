import { taskFixture } from '@eggapi/contracts/testing';
import { describe, expect, it } from 'vitest';
import { clientFor } from '../test/support/client.js';
import { fail, ok, scriptServerPerTest, type ScriptServer } from '../test/support/script-server.js';
import { instrumentClock } from '../test/support/timers.js';
import { APIPromise } from './api-promise.js';
import { NotFoundError } from './errors.js';

const page = (items: unknown[]) => ({
  items,
  pagination: { page: 1, per_page: 20, total: items.length, total_pages: 1 },
});
const headers = (id: string) => ({ 'x-request-id': id, 'x-ratelimit-remaining': '99' });

let server: ScriptServer;
scriptServerPerTest((started) => (server = started));

describe('withResponse()', () => {
  it('gives tasks.get’s task with the Response, its X-Request-Id and rate-limit headers', async () => {
    const task = taskFixture({ id: 'gen_1' });
    server.on('GET /v1/tasks/gen_1', [ok(task, headers('req_get'))]);
    const { data, response } = await clientFor(server).tasks.get('gen_1').withResponse();
    expect(data).toEqual(task);
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('req_get');
    expect(response.headers.get('x-ratelimit-remaining')).toBe('99');
  });

  it('gives generate’s created task with the 202', async () => {
    const task = taskFixture({ id: 'gen_2', status: 'pending' });
    server.on('POST /v1/generate', [
      { status: 202, json: { data: task, error: null }, headers: headers('req_gen') },
    ]);
    const { data, response } = await clientFor(server)
      .generate({ model: 'nanobanana', prompt: 'a fox' })
      .withResponse();
    expect(data).toEqual(task);
    expect(response.status).toBe(202);
    expect(response.headers.get('x-request-id')).toBe('req_gen');
  });

  it('gives the first page of tasks.list and usage.list with its Response', async () => {
    server.on('GET /v1/tasks', [ok(page([taskFixture({ id: 'gen_1' })]), headers('req_list'))]);
    server.on('GET /v1/usage', [ok(page([]), headers('req_usage'))]);
    const client = clientFor(server);
    const tasks = await client.tasks.list().withResponse();
    expect(tasks.data.items.map((t) => t.id)).toEqual(['gen_1']);
    expect(tasks.data.hasNextPage()).toBe(false);
    expect(tasks.response.headers.get('x-request-id')).toBe('req_list');
    const usage = await client.usage.list().withResponse();
    expect(usage.data.items).toEqual([]);
    expect(usage.response.headers.get('x-request-id')).toBe('req_usage');
  });

  it('gives wait() and run() the last poll’s Response', async () => {
    instrumentClock().instantSleeps();
    server.on('POST /v1/generate', [
      { status: 202, json: { data: taskFixture({ id: 'gen_1' }), error: null } },
    ]);
    server.on('GET /v1/tasks/gen_1', [
      ok(taskFixture({ id: 'gen_1', status: 'processing' }), headers('req_1')),
      ok(taskFixture({ id: 'gen_1', status: 'completed' }), headers('req_2')),
      ok(taskFixture({ id: 'gen_1', status: 'completed' }), headers('req_3')),
    ]);
    const client = clientFor(server);
    const ran = await client.run({ model: 'nanobanana', prompt: 'a fox' }).withResponse();
    expect(ran.data.status).toBe('completed');
    expect(ran.response.headers.get('x-request-id')).toBe('req_2');
    const waited = await client.tasks.wait('gen_1').withResponse();
    expect(waited.response.headers.get('x-request-id')).toBe('req_3');
  });

  it('rejects with the call’s error, typed', async () => {
    server.on('GET /v1/tasks/gen_1', [fail(404, 'NOT_FOUND')]);
    await expect(
      clientFor(server, { maxRetries: 0 }).tasks.get('gen_1').withResponse(),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('APIPromise', () => {
  it('is a Promise that sends its request once, however it is awaited', async () => {
    server.on('GET /v1/tasks/gen_1', () => ok(taskFixture({ id: 'gen_1' })));
    const call = clientFor(server).tasks.get('gen_1');
    expect(call).toBeInstanceOf(Promise);
    expect(call).toBeInstanceOf(APIPromise);
    const [a, b, raw] = await Promise.all([call, call.then((t) => t.id), call.withResponse()]);
    expect(a.id).toBe('gen_1');
    expect(b).toBe('gen_1');
    expect(raw.data).toBe(a);
    await expect(call.asResponse()).resolves.toBe(raw.response);
    expect(server.requests).toHaveLength(1);
  });

  it('hands out plain promises from then, catch and finally', async () => {
    server.on('GET /v1/tasks/gen_1', [fail(404, 'NOT_FOUND')]);
    const call = clientFor(server, { maxRetries: 0 }).tasks.get('gen_1');
    const caught = call.catch((e: unknown) => e);
    expect(caught).not.toBeInstanceOf(APIPromise);
    expect(await caught).toBeInstanceOf(NotFoundError);
    let ran = false;
    await expect(
      call.finally(() => {
        ran = true;
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(ran).toBe(true);
  });
});
