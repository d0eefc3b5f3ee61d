import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFetchHandler, type FetchHandler } from '../src/index.js';

const ORIGIN = 'http://mock.test';
const KEY = 'sk_test_eggapi';
const handlers: FetchHandler[] = [];

function mock(options: Parameters<typeof createFetchHandler>[0] = {}): FetchHandler {
  const h = createFetchHandler({ validateResponses: true, ...options });
  handlers.push(h);
  return h;
}

function request(path: string, init: RequestInit & { key?: string | null } = {}): Request {
  const { key = KEY, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (key !== null) headers.set('authorization', `Bearer ${key}`);
  return new Request(`${ORIGIN}${path}`, { ...rest, headers });
}

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

afterEach(async () => {
  await Promise.all(handlers.splice(0).map((h) => h.close()));
  vi.restoreAllMocks();
});

describe('createFetchHandler', () => {
  it('refuses unknown and bad options, naming them', () => {
    expect(() => createFetchHandler({ port: 1 } as never)).toThrow(/invalid mock options: .*port/);
    expect(() => createFetchHandler({ timing: 'slow' as never })).toThrow(/timing/);
    expect(() => createFetchHandler({ baseUrl: 'ftp://x' })).toThrow(/baseUrl/);
    expect(() => createFetchHandler({ baseUrl: 'http://x/?q=1' })).toThrow(/baseUrl/);
    expect(() => createFetchHandler({ now: 1_000 as never })).toThrow(
      'invalid mock options: now: must be a function returning ms since the epoch',
    );
    expect(() => createFetchHandler({ clock: 'frozen' as never })).toThrow(
      /invalid mock options: clock: .*"real"\|"virtual"/,
    );
  });

  it('does nothing random and starts nothing until its first request', async () => {
    const random = vi.spyOn(crypto, 'getRandomValues').mockImplementation(() => {
      throw new Error('no random values in a global scope');
    });
    const h = mock();
    expect(random).not.toHaveBeenCalled();
    random.mockRestore();
    expect((await h.fetch(request('/v1/tasks'))).status).toBe(200);
  });

  it('creates and polls a task at any origin, image links at that origin', async () => {
    const h = mock();
    const created = await h.fetch(
      request('/v1/generate', json({ model: 'nanobanana', prompt: 'an egg' })),
    );
    expect(created.status).toBe(202);
    const { data } = (await created.json()) as { data: { id: string } };
    const polled = await h.fetch(request(`/v1/tasks/${data.id}`));
    const task = (await polled.json()) as { data: { status: string; output: { url: string } } };
    expect(task.data.status).toBe('completed');
    expect(task.data.output.url).toMatch(new RegExp(`^${ORIGIN}/images/${data.id}/0\\.png$`));
    const image = await h.fetch(new Request(task.data.output.url));
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await image.arrayBuffer()).subarray(1, 4)).toEqual(
      new TextEncoder().encode('PNG'),
    );
  });

  it('answers bad requests with the error envelope and loses nothing', async () => {
    const h = mock({ maxBodyBytes: 1_000 });
    const big = await h.fetch(
      request('/v1/generate', json({ model: 'nanobanana', prompt: 'x'.repeat(2_000) })),
    );
    expect(big.status).toBe(400);
    const text = await h.fetch(
      request('/v1/generate', {
        method: 'POST',
        body: '{',
        headers: { 'content-type': 'text/plain' },
      }),
    );
    expect(text.status).toBe(400);
    const broken = await h.fetch(request('/v1/generate', { ...json({}), body: '{"model":' }));
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe(
      'VALIDATION_ERROR',
    );
    expect((await h.fetch(request('/v1/tasks/%E0%A4%A'))).status).toBe(400);
    expect((await h.fetch(request('/v1/tasks', { key: null }))).status).toBe(401);
    const wrongMethod = await h.fetch(request('/v1/tasks', { method: 'DELETE' }));
    expect([wrongMethod.status, wrongMethod.headers.get('allow')]).toEqual([404, 'GET, HEAD']);
    expect((await h.fetch(request('/nowhere'))).status).toBe(404);
    const tasks = (await (await h.fetch(request('/v1/tasks'))).json()) as {
      data: { items: unknown[] };
    };
    expect(tasks.data.items).toEqual([]);
  });

  it('serves the admin API of its contract, to its own origin and non-browsers only', async () => {
    const h = mock({ adminToken: 'admin-secret' });
    const admin = (path: string, init: RequestInit = {}) =>
      h.fetch(request(`/__admin${path}`, { key: 'admin-secret', ...init }));
    expect((await admin('/health')).status).toBe(200);
    const patched = await admin('/config', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ timing: 'fast' }),
    });
    expect(patched.status).toBe(200);
    expect((await h.engine.config()).timing).toMatchObject({ queueMs: 100 });
    const badPatch = await admin('/config', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ timing: 'slow' }),
    });
    expect(badPatch.status).toBe(400);
    const crossSite = await admin('/reset', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get('access-control-allow-origin')).toBeNull();
    const noToken = await h.fetch(request('/__admin/config', { key: null }));
    expect(noToken.status).toBe(401);
  });

  it('streams the engine events as server-sent events', async () => {
    const h = mock();
    const answer = await h.fetch(request('/__admin/events'));
    expect(answer.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = answer.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: hello');
    await h.fetch(request('/v1/generate', json({ model: 'nanobanana', prompt: 'an egg' })));
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: task.created');
    await reader.cancel();
  });

  it('serves /openapi.json with itself as the server, drops a reset fault, 503 once closed', async () => {
    const h = mock();
    const doc = (await (await h.fetch(request('/openapi.json'))).json()) as {
      servers: { url: string }[];
    };
    expect(doc.servers[0]!.url).toBe(ORIGIN);
    await h.injectFault({ kind: 'reset' });
    expect((await h.fetch(request('/v1/tasks'))).type).toBe('error');
    await h.close();
    expect((await h.fetch(request('/v1/tasks'))).status).toBe(503);
  });
});
