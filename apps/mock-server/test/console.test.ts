import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MockServer } from '../src/index.js';
import { call, createTask, mockServer, REDIS_MODE, validRequest } from './support/harness.js';
import { startReceiver } from './support/receiver.js';

interface Sse {
  type: string;
  data: any;
}

/** Reads `GET /__admin/events`; `until` polls the events read so far. */
async function openEvents(server: MockServer, token?: string) {
  const stop = new AbortController();
  const response = await fetch(`${server.url}/__admin/events`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    signal: stop.signal,
  });
  const events: Sse[] = [];
  let ended = false;
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body!) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const type = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (type && data) events.push({ type, data: JSON.parse(data) });
        }
      }
    } catch {
      // aborted
    }
    ended = true;
  })();
  /** Polls the events read so far until `predicate` holds for them (or the stream has ended). */
  const until = (predicate: (events: Sse[]) => boolean, timeout = 5_000) =>
    vi.waitFor(
      () => {
        if (!predicate(events) && !ended) {
          throw new Error(`events did not match in ${timeout} ms: ${JSON.stringify(events)}`);
        }
        return events;
      },
      { timeout, interval: 10 },
    );
  return { response, events, until, ended: () => ended, close: () => stop.abort() };
}

const streams: { close(): void }[] = [];
afterEach(() => streams.splice(0).forEach((s) => s.close()));

describe('the console page', () => {
  it('is served at /console/ with every asset from the mock itself (no CDN)', async () => {
    const server = await mockServer();
    const bare = await fetch(`${server.url}/console`, { redirect: 'manual' });
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('console/');
    const page = await call(server, 'GET', '/console/', { auth: null });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.text).not.toMatch(/https?:\/\//);
    const assets = [...page.text.matchAll(/(?:src|href)="([^":]+)"/g)].map((m) => m[1]!);
    expect(assets.sort()).toEqual(['console.css', 'console.js']);
    for (const asset of assets) {
      const response = await fetch(`${server.url}/console/${asset}`);
      expect(response.status, asset).toBe(200);
      const text = await response.text();
      expect(text.length).toBeGreaterThan(1_000);
      expect(text).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    }
  });

  it('tells the page whether an admin token is needed, and nothing else', async () => {
    const open = await mockServer();
    const closed = await mockServer({ adminToken: 'console-admin-token' });
    expect((await call(open, 'GET', '/console/settings.json', { auth: null })).body).toEqual({
      admin_token_required: false,
    });
    const settings = await call(closed, 'GET', '/console/settings.json', { auth: null });
    expect(settings.body).toEqual({ admin_token_required: true });
    expect(settings.text).not.toContain('console-admin-token');
    // The page is public; what it shows comes from the admin API, which wants the token.
    expect((await call(closed, 'GET', '/console/', { auth: null })).status).toBe(200);
    expect((await call(closed, 'GET', '/__admin/tasks', { auth: null })).status).toBe(401);
    expect((await call(closed, 'GET', '/__admin/events', { auth: null })).status).toBe(401);
  });
});

describe('GET /__admin/tasks', () => {
  it("lists every key's tasks newest first, with request and timeline, filtered by status and key", async () => {
    const other = 'sk_test_other_key';
    const server = await mockServer({ apiKeys: ['sk_test_eggapi', other] });
    const a = await createTask(server, { ...validRequest, prompt: 'first' });
    const b = await createTask(server, { ...validRequest, prompt: 'second [[mock: fail]]' });
    const answer = await call(server, 'POST', '/v1/generate', {
      body: { ...validRequest, prompt: 'third' },
      auth: other,
    });
    const c = answer.body.data.id as string;
    const all = await call(server, 'GET', '/__admin/tasks', { auth: null });
    expect(all.body.data.items.map((t: { id: string }) => t.id)).toEqual([c, b, a]);
    expect(all.body.data.pagination).toEqual({ page: 1, per_page: 20, total: 3, total_pages: 1 });
    expect(all.body.data.items[2]).toMatchObject({
      id: a,
      status: 'completed',
      owner: 'sk_t…ggapi',
      request: { prompt: 'first' },
      output: { urls: [`${server.url}/images/${a}/0.png`] },
      timeline: { created_at: expect.stringMatching(/\.\d{3}Z$/) },
    });
    expect(all.text).not.toContain(other);
    const failed = await call(server, 'GET', '/__admin/tasks?status=failed', { auth: null });
    expect(failed.body.data.items.map((t: { id: string }) => t.id)).toEqual([b]);
    const theirs = await call(
      server,
      'GET',
      `/__admin/tasks?owner=${encodeURIComponent('sk_t…r_key')}`,
      {
        auth: null,
      },
    );
    expect(theirs.body.data.items.map((t: { id: string }) => t.id)).toEqual([c]);
    const paged = await call(server, 'GET', '/__admin/tasks?page=2&per_page=2&status=', {
      auth: null,
    });
    expect(paged.body.data.items.map((t: { id: string }) => t.id)).toEqual([a]);
    const bad = await call(server, 'GET', '/__admin/tasks?status=done&per_page=0', { auth: null });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'per_page',
      'status',
    ]);
    const keys = await call(server, 'GET', '/__admin/keys', { auth: null });
    expect(keys.body.data).toEqual(['sk_t…ggapi', 'sk_t…r_key']);
  });
});

describe('GET /__admin/events (server-sent events)', () => {
  it('pushes task and delivery events as they happen, never a key', async () => {
    const hook = await startReceiver([500]);
    try {
      const server = await mockServer({ webhooks: { backoffBaseMs: 10 } });
      const stream = await openEvents(server);
      streams.push(stream);
      expect(stream.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      const [hello] = await stream.until((e) => e.length > 0);
      expect(hello).toEqual({
        type: 'hello',
        data: { shared: REDIS_MODE, refresh_ms: REDIS_MODE ? 2_000 : null },
      });
      const id = await createTask(server, { ...validRequest, webhook_url: hook.url });
      const events = await stream.until((e) =>
        e.some((x) => x.type === 'delivery.attempted' && x.data.state === 'succeeded'),
      );
      const mine = events.filter(
        (e) => e.type !== 'hello' && e.type !== 'refresh' && e.type !== 'request.recorded',
      );
      expect(mine).toEqual([
        { type: 'task.created', data: { type: 'task.created', task_id: id, owner: 'sk_t…ggapi' } },
        {
          type: 'task.ended',
          data: { type: 'task.ended', task_id: id, status: 'completed', owner: 'sk_t…ggapi' },
        },
        {
          type: 'delivery.attempted',
          data: expect.objectContaining({ task_id: id, attempt: 1, state: 'pending' }),
        },
        {
          type: 'delivery.attempted',
          data: expect.objectContaining({ task_id: id, attempt: 2, state: 'succeeded' }),
        },
      ]);
      expect(JSON.stringify(events)).not.toContain('sk_test_eggapi');
      await server.reset();
      await stream.until((e) => e.some((x) => x.type === 'reset'));
    } finally {
      await hook.close();
    }
  });

  it('pushes request.recorded for each /v1 request as the journal stores it: no key, header nor body', async () => {
    const server = await mockServer();
    const stream = await openEvents(server);
    streams.push(stream);
    await stream.until((e) => e.some((x) => x.type === 'hello'));
    const id = await createTask(server, { ...validRequest, prompt: 'a secret fox' });
    await call(server, 'GET', `/v1/tasks/${id}?secret=query`);
    await call(server, 'GET', '/v1/tasks', { auth: 'sk_test_not_a_known_key' });
    await call(server, 'GET', '/__admin/tasks', { auth: null });
    const events = await stream.until(
      (e) => e.filter((x) => x.type === 'request.recorded').length >= 3,
    );
    const recorded = events
      .filter((e) => e.type === 'request.recorded')
      .map((e) => e.data as { method: string; path: string; status: number });
    const journal = (await server.engine.requests()).reverse();
    // Admin requests are not the app's: neither journalled nor announced.
    expect(recorded).toEqual(
      journal.map((entry) => ({
        type: 'request.recorded',
        id: entry.id,
        method: entry.method,
        path: entry.path,
        status: entry.status,
      })),
    );
    expect(recorded.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /v1/generate 202',
      `GET /v1/tasks/${id} 200`,
      'GET /v1/tasks 401',
    ]);
    const text = JSON.stringify(events);
    for (const secret of [
      'sk_test_eggapi',
      'sk_test_not_a_known_key',
      'a secret fox',
      'secret=query',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('sends a burst of requests as one requests.recorded with their count, not a refresh', async () => {
    const server = await mockServer();
    const stream = await openEvents(server);
    streams.push(stream);
    await stream.until((e) => e.some((x) => x.type === 'hello'));
    const burst = 150;
    for (let i = 0; i < burst; i++) {
      server.engine.journalRequest()({
        method: 'GET',
        path: `/v1/tasks/gen_${i}`,
        query: [],
        headers: [],
        status: 404,
      });
    }
    const counted = (events: Sse[]) =>
      events.reduce(
        (sum, e) =>
          sum +
          (e.type === 'request.recorded'
            ? 1
            : e.type === 'requests.recorded'
              ? (e.data.count as number)
              : 0),
        0,
      );
    const events = await stream.until((e) => counted(e) >= burst);
    expect(counted(events)).toBe(burst);
    if (!REDIS_MODE) {
      // One store, written at once: the whole burst falls in one batch.
      expect(events.filter((e) => e.type !== 'hello')).toEqual([
        { type: 'requests.recorded', data: { type: 'requests.recorded', count: burst } },
      ]);
    }
  });

  it('takes the admin token as a header only, and keeps it out of the request log', async () => {
    const lines: string[] = [];
    const token = 'console-admin-token-42';
    const server = await mockServer({
      adminToken: token,
      logLevel: 'info',
      logDestination: { write: (line) => lines.push(line) },
    });
    expect((await fetch(`${server.url}/__admin/events?token=${token}`)).status).toBe(401);
    const stream = await openEvents(server, token);
    streams.push(stream);
    expect(stream.response.status).toBe(200);
    await stream.until((e) => e.some((x) => x.type === 'hello'));
    stream.close();
    await call(server, 'GET', '/__admin/tasks', { auth: token });
    await server.close();
    const logged = lines.join('');
    expect(logged).toContain('/__admin/events');
    // Not even the refused query-string attempt above: request logs show paths without queries.
    expect(lines.filter((line) => line.includes(token))).toEqual([]);
    expect(lines).toContainEqual(expect.stringContaining('"url":"/__admin/events","status":401'));
  });

  it('ends every stream at shutdown, without waiting for the grace period', async () => {
    const server = await mockServer({ shutdownGraceMs: 20_000 });
    const stream = await openEvents(server);
    streams.push(stream);
    await stream.until((e) => e.some((x) => x.type === 'hello'));
    const started = performance.now();
    await server.close();
    expect(performance.now() - started).toBeLessThan(5_000);
    await stream.until(() => stream.ended());
    expect(stream.ended()).toBe(true);
  });

  it.runIf(REDIS_MODE)(
    'tells the page to read again every 2 s when other instances share the state',
    async () => {
      const server = await mockServer();
      const stream = await openEvents(server);
      streams.push(stream);
      await stream.until((e) => e.some((x) => x.type === 'refresh'), 4_000);
    },
  );
});
