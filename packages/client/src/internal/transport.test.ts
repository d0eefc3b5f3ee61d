import { taskFixture } from '@eggapi/contracts/testing';
import { describe, expect, it, vi } from 'vitest';
import { clientFor, created } from '../../test/support/client.js';
import {
  fail,
  ok,
  scriptServerPerTest,
  startScriptServer,
  type ScriptServer,
} from '../../test/support/script-server.js';
import { holdTimers, instrumentClock } from '../../test/support/timers.js';
import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  ServiceUnavailableError,
} from '../errors.js';
import { clock } from './clock.js';

const TASK = '/v1/tasks/gen_1';
const params = { model: 'nanobanana', prompt: 'a fox' } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let server: ScriptServer;
scriptServerPerTest((started) => (server = started));

describe('GET requests', () => {
  it('retries a 503 and honours Retry-After in seconds', async () => {
    const timers = instrumentClock();
    timers.instantSleeps();
    server.on(`GET ${TASK}`, [
      fail(503, 'SERVICE_UNAVAILABLE', 'busy', { headers: { 'retry-after': '1' } }),
      ok(taskFixture({ id: 'gen_1' })),
    ]);
    const task = await clientFor(server).tasks.get('gen_1');
    expect(task.id).toBe('gen_1');
    expect(timers.sleeps).toEqual([1000]);
    expect(server.seen(`GET ${TASK}`)).toHaveLength(2);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const timers = instrumentClock();
    timers.instantSleeps();
    vi.spyOn(clock, 'now').mockReturnValue(Date.parse('2026-05-08T10:30:00Z'));
    server.on(`GET ${TASK}`, [
      fail(429, 'RATE_LIMITED', 'slow down', {
        headers: { 'retry-after': 'Fri, 08 May 2026 10:30:03 GMT' },
      }),
      ok(taskFixture({ id: 'gen_1' })),
    ]);
    await clientFor(server).tasks.get('gen_1');
    expect(timers.sleeps).toEqual([3000]);
  });

  it('waits the retry-after-ms the server asked for before the next attempt', async () => {
    const timers = instrumentClock();
    timers.instantSleeps();
    server.on(`GET ${TASK}`, [
      fail(429, 'RATE_LIMITED', 'slow down', { headers: { 'retry-after-ms': '120' } }),
      ok(taskFixture({ id: 'gen_1' })),
    ]);
    await clientFor(server).tasks.get('gen_1');
    expect(timers.sleeps).toEqual([120]);
    expect(server.seen(`GET ${TASK}`)).toHaveLength(2);
  });

  it('backs off exponentially between retries and gives up after maxRetries', async () => {
    const timers = instrumentClock();
    timers.instantSleeps();
    vi.spyOn(clock, 'random').mockReturnValue(0);
    server.on(`GET ${TASK}`, () => fail(500, 'INTERNAL_ERROR', 'boom'));
    const error = await clientFor(server, { maxRetries: 4 })
      .tasks.get('gen_1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(server.seen(`GET ${TASK}`)).toHaveLength(5);
    expect(timers.sleeps).toEqual([500, 1000, 2000, 4000]);
  });

  it.each([408, 429, 500, 502, 503, 504])('retries a %i', async (status) => {
    instrumentClock().instantSleeps();
    server.on(`GET ${TASK}`, [{ status, json: {} }, ok(taskFixture({ id: 'gen_1' }))]);
    await expect(clientFor(server).tasks.get('gen_1')).resolves.toMatchObject({ id: 'gen_1' });
    expect(server.seen(`GET ${TASK}`)).toHaveLength(2);
  });

  it.each([400, 401, 403, 404, 409])('does not retry a %i', async (status) => {
    instrumentClock().instantSleeps();
    server.on(`GET ${TASK}`, () => ({ status, json: {} }));
    await expect(clientFor(server).tasks.get('gen_1')).rejects.toMatchObject({ status });
    expect(server.seen(`GET ${TASK}`)).toHaveLength(1);
  });

  it('takes maxRetries per request over the client’s', async () => {
    server.on(`GET ${TASK}`, () => fail(503, 'SERVICE_UNAVAILABLE'));
    const client = clientFor(server, { maxRetries: 5 });
    await expect(client.tasks.get('gen_1', { maxRetries: 0 })).rejects.toBeInstanceOf(
      ServiceUnavailableError,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('does not wait for a Retry-After over a minute: the RateLimitError says how long', async () => {
    server.on(`GET ${TASK}`, () =>
      fail(429, 'RATE_LIMITED', 'slow down', { headers: { 'retry-after': '120' } }),
    );
    const error = await clientFor(server)
      .tasks.get('gen_1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBe(120);
    expect(server.requests).toHaveLength(1);
  });

  it('times out an attempt with APITimeoutError and retries it', async () => {
    const held = holdTimers();
    vi.spyOn(clock, 'sleep').mockResolvedValue(undefined);
    server.on(`GET ${TASK}`, [{ hang: true }, ok(taskFixture({ id: 'gen_1' }))]);
    const pending = clientFor(server, { timeout: 100 }).tasks.get('gen_1');
    await vi.waitUntil(() => server.requests.length === 1);
    held.pendingOf(100).fire();
    await expect(pending).resolves.toMatchObject({ id: 'gen_1' });
    await server.requests[0]!.aborted;
    expect(server.requests).toHaveLength(2);
    expect(held.pending).toEqual([]);
  });

  it('rejects with APITimeoutError once the retries are spent', async () => {
    const held = holdTimers();
    server.on(`GET ${TASK}`, () => ({ hang: true }));
    const client = clientFor(server, { maxRetries: 0 });
    const pending = client.tasks.get('gen_1', { timeout: 80 }).catch((e: unknown) => e);
    await vi.waitUntil(() => server.requests.length === 1);
    held.pendingOf(80).fire();
    const error = await pending;
    expect(error).toBeInstanceOf(APITimeoutError);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toBe('Request timed out after 80 ms.');
    await server.requests[0]!.aborted;
  });

  it('retries a reset connection', async () => {
    instrumentClock().instantSleeps();
    server.on(`GET ${TASK}`, [{ destroy: true }, ok(taskFixture({ id: 'gen_1' }))]);
    await expect(clientFor(server).tasks.get('gen_1')).resolves.toMatchObject({ id: 'gen_1' });
    expect(server.requests).toHaveLength(2);
  });
});

describe('POST /v1/generate', () => {
  it('is sent once when the server answers 500: the task may exist', async () => {
    server.on('POST /v1/generate', () => fail(500, 'INTERNAL_ERROR'));
    await expect(clientFor(server).generate(params)).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(1);
  });

  it.each([502, 503, 504, 408])('is sent once when the server answers %i', async (status) => {
    server.on('POST /v1/generate', () => ({ status, json: {} }));
    await expect(clientFor(server).generate(params)).rejects.toMatchObject({ status });
    expect(server.requests).toHaveLength(1);
  });

  it('is sent once when the connection drops after the body arrived', async () => {
    server.on('POST /v1/generate', [{ destroy: true }, created()]);
    const error = await clientFor(server)
      .generate(params)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(server.requests).toHaveLength(1);
    expect(JSON.parse(server.requests[0]!.body)).toEqual(params);
  });

  it('is sent once when it times out', async () => {
    const held = holdTimers();
    server.on('POST /v1/generate', [{ hang: true }, created()]);
    const pending = clientFor(server, { timeout: 80 }).generate(params);
    await vi.waitUntil(() => server.requests.length === 1);
    held.pendingOf(80).fire();
    await expect(pending).rejects.toBeInstanceOf(APITimeoutError);
    expect(server.requests).toHaveLength(1);
  });

  it('is retried on 429 with the same Idempotency-Key', async () => {
    const timers = instrumentClock();
    timers.instantSleeps();
    server.on('POST /v1/generate', [
      fail(429, 'RATE_LIMITED', 'slow down', { headers: { 'retry-after': '2' } }),
      fail(429, 'RATE_LIMITED', 'slow down'),
      created(),
    ]);
    const task = await clientFor(server).generate(params);
    expect(task.status).toBe('pending');
    expect(timers.sleeps[0]).toBe(2000);
    const keys = server.requests.map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(UUID);
  });

  it('sends a new Idempotency-Key for each call, or the caller’s own', async () => {
    server.on('POST /v1/generate', () => created());
    const client = clientFor(server);
    await client.generate(params);
    await client.generate(params);
    await client.generate(params, { idempotencyKey: 'mine-1' });
    const keys = server.requests.map((r) => r.headers['idempotency-key']);
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys[2]).toBe('mine-1');
  });

  it('is retried when the connection was refused, before a byte was sent', async () => {
    const { port } = server;
    await server.close();
    let revived: ScriptServer | undefined;
    instrumentClock().instantSleeps(async () => {
      revived = await startScriptServer(port);
      revived.on('POST /v1/generate', [created('gen_2')]);
    });
    const client = clientFor(server);
    try {
      const task = await client.generate(params);
      expect(task.id).toBe('gen_2');
      expect(revived!.requests).toHaveLength(1);
    } finally {
      await revived?.close();
      server = await startScriptServer();
    }
  });
});

describe('headers', () => {
  it('sends the key, JSON headers, the client’s defaults and the call’s own', async () => {
    server.on('POST /v1/generate', () => created());
    const client = clientFor(server, { defaultHeaders: { 'x-team': 'eggs', 'x-env': 'ci' } });
    await client.generate(params, { headers: { 'x-env': 'local', 'idempotency-key': 'k' } });
    const { headers } = server.requests[0]!;
    expect(headers).toMatchObject({
      authorization: 'Bearer sk_test',
      accept: 'application/json',
      'content-type': 'application/json',
      'x-team': 'eggs',
      'x-env': 'local',
      'idempotency-key': 'k',
    });
  });
});

describe('headers between calls', () => {
  it('sends one call’s extra headers with that call only', async () => {
    server.on(`GET ${TASK}`, () => ok(taskFixture({ id: 'gen_1' })));
    const client = clientFor(server, { defaultHeaders: { 'X-Team': 'eggs' } });
    await client.tasks.get('gen_1', { headers: { 'x-trace': 'one' } });
    await client.tasks.get('gen_1');
    const [first, second] = server.requests.map((request) => request.headers);
    expect(first).toMatchObject({ 'x-team': 'eggs', 'x-trace': 'one' });
    expect(second).toMatchObject({ 'x-team': 'eggs', authorization: 'Bearer sk_test' });
    expect(second).not.toHaveProperty('x-trace');
    expect(second).not.toHaveProperty('content-type');
  });
});

describe('a fetch wrapper', () => {
  it('may change the init it gets; the next call starts afresh', async () => {
    let calls = 0;
    const fetch: typeof globalThis.fetch = (input, init) => {
      const headers = init!.headers as Record<string, string>;
      headers['x-trace-id'] = `trace-${++calls}`;
      return globalThis.fetch(input, init);
    };
    server.on(`GET ${TASK}`, () => ok(taskFixture({ id: 'gen_1' })));
    const client = clientFor(server, { fetch });
    await client.tasks.get('gen_1');
    await client.tasks.get('gen_1');
    expect(server.requests.map((request) => request.headers['x-trace-id'])).toEqual([
      'trace-1',
      'trace-2',
    ]);
  });

  it('lets the client’s defaultHeaders override the JSON content type', async () => {
    server.on('POST /v1/generate', () => created());
    const client = clientFor(server, {
      defaultHeaders: { 'Content-Type': 'application/json; charset=utf-8' },
    });
    await client.generate(params);
    expect(server.requests[0]!.headers['content-type']).toBe('application/json; charset=utf-8');
  });
});

describe('no time limit', () => {
  it('hands fetch no signal when there is neither a limit nor a caller signal', async () => {
    const signals: (AbortSignal | null | undefined)[] = [];
    const fetch: typeof globalThis.fetch = (input, init) => {
      signals.push(init?.signal);
      return globalThis.fetch(input, init);
    };
    server.on(`GET ${TASK}`, () => ok(taskFixture({ id: 'gen_1' })));
    const client = clientFor(server, { fetch, timeout: Infinity });
    await client.tasks.get('gen_1');
    await client.tasks.get('gen_1', { timeout: 5_000 });
    expect(signals[0]).toBeUndefined();
    expect(signals[1]).toBeInstanceOf(AbortSignal);
  });

  it('still aborts on the caller’s signal', async () => {
    server.on(`GET ${TASK}`, () => ({ hang: true }));
    const controller = new AbortController();
    const pending = clientFor(server, { timeout: Infinity }).tasks.get('gen_1', {
      signal: controller.signal,
    });
    await vi.waitUntil(() => server.requests.length === 1);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
    await server.requests[0]!.aborted;
  });
});

describe('abort', () => {
  it('aborts the request in flight and leaves no timer or listener behind', async () => {
    const timers = instrumentClock();
    server.on(`GET ${TASK}`, () => ({ hang: true }));
    const controller = new AbortController();
    const removed = vi.spyOn(controller.signal, 'removeEventListener');
    const pending = clientFor(server).tasks.get('gen_1', { signal: controller.signal });
    await vi.waitUntil(() => server.requests.length === 1);
    controller.abort(new Error('user left'));
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect((error as Error).cause).toEqual(new Error('user left'));
    await server.requests[0]!.aborted;
    expect(timers.pendingTimers).toBe(0);
    expect(removed).toHaveBeenCalled();
  });

  it('aborts a retry wait at once, with no timer left', async () => {
    const timers = instrumentClock();
    server.on(`GET ${TASK}`, () =>
      fail(503, 'SERVICE_UNAVAILABLE', 'busy', { headers: { 'retry-after': '30' } }),
    );
    const controller = new AbortController();
    const pending = clientFor(server).tasks.get('gen_1', { signal: controller.signal });
    await vi.waitUntil(() => timers.pendingTimers === 1 && server.requests.length === 1);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
    expect(timers.pendingTimers).toBe(0);
    expect(server.requests).toHaveLength(1);
  });

  it('does not send a request whose signal has already aborted', async () => {
    await expect(
      clientFor(server).tasks.get('gen_1', { signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toHaveLength(0);
  });

  it('answers a 404 with NotFoundError once, signal or not', async () => {
    server.on(`GET ${TASK}`, () => fail(404, 'NOT_FOUND'));
    const signal = new AbortController().signal;
    await expect(clientFor(server).tasks.get('gen_1', { signal })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(server.requests).toHaveLength(1);
  });
});
