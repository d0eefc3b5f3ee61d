import { taskFixture } from '@eggapi/contracts/testing';
import type { Task, UsageRecord } from '@eggapi/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clientFor } from '../test/support/client.js';
import {
  fail,
  ok,
  startScriptServer,
  type Reply,
  type ScriptServer,
  type SeenRequest,
} from '../test/support/script-server.js';
import { EggAPIError, NotFoundError } from './errors.js';
import { ListPage } from './pagination.js';

const TASKS = Array.from({ length: 7 }, (_, i) => taskFixture({ id: `gen_${i + 1}` }));
const USAGE: UsageRecord[] = Array.from({ length: 5 }, (_, i) => ({
  id: `usage_${i + 1}`,
  task_id: `gen_${i + 1}`,
  model: 'nanobanana',
  type: 'image_generate',
  quantity: 1,
  cost: '$0.0100',
  created_at: '2026-05-08T10:30:10Z',
}));

/** Answers a list request from `all`, paginated by its query, as a server would. */
function paginate(all: unknown[]) {
  return (request: SeenRequest): Reply => {
    const query = new URL(request.url, 'http://x').searchParams;
    const page = Number(query.get('page') ?? 1);
    const perPage = Number(query.get('per_page') ?? 20);
    const items = all.slice((page - 1) * perPage, page * perPage);
    const pagination = {
      page,
      per_page: perPage,
      total: all.length,
      total_pages: Math.ceil(all.length / perPage),
    };
    return ok({ items, pagination });
  };
}

let server: ScriptServer;
beforeEach(async () => {
  server = await startScriptServer();
  server.on('GET /v1/tasks', paginate(TASKS));
  server.on('GET /v1/usage', paginate(USAGE));
});
afterEach(() => server.close());

describe('tasks.list', () => {
  it('iterates every task across all pages, one request per page', async () => {
    const seen: Task[] = [];
    for await (const task of clientFor(server).tasks.list({ per_page: 3 })) seen.push(task);
    expect(seen.map((t) => t.id)).toEqual(TASKS.map((t) => t.id));
    expect(server.requests.map((r) => r.url)).toEqual([
      '/v1/tasks?page=1&per_page=3',
      '/v1/tasks?page=2&per_page=3',
      '/v1/tasks?page=3&per_page=3',
    ]);
  });

  it('awaits to the first page with items, pagination, hasNextPage and getNextPage', async () => {
    const first = await clientFor(server).tasks.list({ per_page: 3 });
    expect(first).toBeInstanceOf(ListPage);
    expect(first.items.map((t) => t.id)).toEqual(['gen_1', 'gen_2', 'gen_3']);
    expect(first.pagination).toEqual({ page: 1, per_page: 3, total: 7, total_pages: 3 });
    expect(first.hasNextPage()).toBe(true);
    const second = await first.getNextPage();
    expect(second.items.map((t) => t.id)).toEqual(['gen_4', 'gen_5', 'gen_6']);
    const third = await second.getNextPage();
    expect(third.items.map((t) => t.id)).toEqual(['gen_7']);
    expect(third.hasNextPage()).toBe(false);
    await expect(third.getNextPage()).rejects.toThrow(
      new EggAPIError('No next page: this is page 3 of 3.'),
    );
  });

  it('walks pages with iterPages', async () => {
    const page = await clientFor(server).tasks.list({ per_page: 2 });
    const sizes: number[] = [];
    for await (const p of page.iterPages()) sizes.push(p.items.length);
    expect(sizes).toEqual([2, 2, 2, 1]);
  });

  it('iterates from the page asked for', async () => {
    const ids: string[] = [];
    for await (const t of clientFor(server).tasks.list({ page: 2, per_page: 3 })) ids.push(t.id);
    expect(ids).toEqual(['gen_4', 'gen_5', 'gen_6', 'gen_7']);
  });

  it('uses the contract defaults when no query is given', async () => {
    const page = await clientFor(server).tasks.list();
    expect(page.items).toHaveLength(7);
    expect(server.requests[0]!.url).toBe('/v1/tasks?page=1&per_page=20');
  });

  it('sends the call’s headers with every page', async () => {
    const all = [];
    for await (const t of clientFor(server).tasks.list(
      { per_page: 4 },
      { headers: { 'x-trace': 't1' } },
    )) {
      all.push(t);
    }
    expect(server.requests.map((r) => r.headers['x-trace'])).toEqual(['t1', 't1']);
  });

  it('stops at an empty page even if total_pages promises more', async () => {
    server.on('GET /v1/tasks', () =>
      ok({ items: [], pagination: { page: 1, per_page: 3, total: 9, total_pages: 3 } }),
    );
    const page = await clientFor(server).tasks.list({ per_page: 3 });
    expect(page.hasNextPage()).toBe(false);
    const all = [];
    for await (const t of page) all.push(t);
    expect(all).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('rejects iteration with the typed error of a failing page', async () => {
    let calls = 0;
    server.on('GET /v1/tasks', (request) =>
      ++calls === 2 ? fail(404, 'NOT_FOUND', 'page gone') : paginate(TASKS)(request),
    );
    const ids: string[] = [];
    const iterate = async () => {
      for await (const t of clientFor(server).tasks.list({ per_page: 3 })) ids.push(t.id);
    };
    await expect(iterate()).rejects.toBeInstanceOf(NotFoundError);
    expect(ids).toEqual(['gen_1', 'gen_2', 'gen_3']);
  });

  it('supports then, catch and finally like a promise', async () => {
    const list = clientFor(server).tasks.list({ per_page: 3 });
    await expect(list.then((p) => p.items.length)).resolves.toBe(3);
    let settled = false;
    await list.finally(() => (settled = true));
    expect(settled).toBe(true);
    server.on('GET /v1/tasks', () => fail(400, 'VALIDATION_ERROR', 'bad page'));
    const failing = clientFor(server, { maxRetries: 0 }).tasks.list({ page: 1 });
    await expect(failing.catch((e: unknown) => (e as Error).name)).resolves.toBe('ValidationError');
  });
});

describe('usage.list', () => {
  it('iterates every usage record across pages', async () => {
    const ids: string[] = [];
    for await (const record of clientFor(server).usage.list({ per_page: 2 })) ids.push(record.id);
    expect(ids).toEqual(USAGE.map((u) => u.id));
    expect(server.requests).toHaveLength(3);
  });

  it('awaits to a page of usage records', async () => {
    const page = await clientFor(server).usage.list({ per_page: 2, page: 3 });
    expect(page.items).toEqual([USAGE[4]]);
    expect(page.hasNextPage()).toBe(false);
  });
});
