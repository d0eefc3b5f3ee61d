import { gzipSync } from 'node:zlib';
import { taskFixture } from '@eggapi/contracts/testing';
import { describe, expect, it, vi } from 'vitest';
import { clientFor, created } from '../test/support/client.js';
import { ok, scriptServerPerTest, type ScriptServer } from '../test/support/script-server.js';
import { holdTimers } from '../test/support/timers.js';
import { EggAPI } from './client.js';
import { APIError, InvalidArgumentError, ResponseTooLargeError } from './errors.js';
import { clock } from './internal/clock.js';

const TASK = 'GET /v1/tasks/gen_1';
const params = { model: 'nanobanana', prompt: 'a fox' } as const;

let server: ScriptServer;
scriptServerPerTest((started) => (server = started));

describe('time limits a timer can hold', () => {
  it('refuses a client timeout of 2^31 ms, which timers would fire after 1 ms', () => {
    expect(() => new EggAPI({ apiKey: 'sk', timeout: 2 ** 31 })).toThrow(
      /timeout must be at most 2147483647 ms/,
    );
  });

  it('refuses a per-call timeout of 2^31 ms before sending', async () => {
    await expect(clientFor(server).tasks.get('gen_1', { timeout: 2 ** 31 })).rejects.toThrow(
      RangeError,
    );
    expect(server.requests).toHaveLength(0);
  });

  it('takes 2^31 - 1 ms and Infinity: the call is not timed out early', async () => {
    const held = holdTimers();
    server.on(TASK, () => ok(taskFixture({ id: 'gen_1' })));
    const client = clientFor(server, { timeout: 2 ** 31 - 1 });
    await expect(client.tasks.get('gen_1')).resolves.toMatchObject({ id: 'gen_1' });
    await expect(client.tasks.get('gen_1', { timeout: Infinity })).resolves.toMatchObject({
      id: 'gen_1',
    });
    expect(held.timers.map((t) => [t.ms, t.fired])).toEqual([[2 ** 31 - 1, false]]);
  });

  it.each([
    [{ waitTimeout: 2 ** 31 }, /waitTimeout must be at most/],
    [{ timeout: 2 ** 31 }, /timeout must be at most/],
    [{ pollInterval: 2 ** 31 }, /pollInterval must be a number of milliseconds from 0/],
    [{ pollInterval: -1 }, /pollInterval must be a number of milliseconds from 0/],
  ])('tasks.wait refuses %j before polling', async (options, message) => {
    await expect(clientFor(server).tasks.wait('gen_1', options)).rejects.toThrow(message);
    expect(server.requests).toHaveLength(0);
  });

  it('run() refuses a waitTimeout of 2^31 before creating a task', async () => {
    server.on('POST /v1/generate', () => created());
    await expect(clientFor(server).run(params, { waitTimeout: 2 ** 31 })).rejects.toThrow(
      RangeError,
    );
    expect(server.requests).toHaveLength(0);
  });

  it('waits up to 2^31 - 1 ms when asked: the deadline timer gets that length', async () => {
    const held = holdTimers();
    vi.spyOn(clock, 'sleep').mockResolvedValue(undefined);
    server.on(TASK, [
      ok(taskFixture({ id: 'gen_1', status: 'processing' })),
      ok(taskFixture({ id: 'gen_1', status: 'completed' })),
    ]);
    const task = await clientFor(server).tasks.wait('gen_1', { waitTimeout: 2 ** 31 - 1 });
    expect(task.status).toBe('completed');
    const deadline = held.timers.find((t) => t.ms === 2 ** 31 - 1);
    expect(deadline).toMatchObject({ fired: false, cleared: true });
  });
});

describe('answer size limit', () => {
  it('refuses a body whose Content-Length is over maxResponseBytes, without reading it', async () => {
    server.on(TASK, () => ok({ padding: 'x'.repeat(5000) }));
    const error = await clientFor(server, { maxResponseBytes: 1000 })
      .tasks.get('gen_1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 200, limit: 1000, body: undefined });
    expect(server.requests).toHaveLength(1);
  });

  it('stops reading a chunked body as soon as it passes the limit (an endless one too)', async () => {
    function* endless() {
      yield '{"data":{"padding":"';
      for (;;) yield 'x'.repeat(64 * 1024);
    }
    server.on(TASK, () => ({ status: 200, chunks: endless() }));
    const error = await clientFor(server, { maxResponseBytes: 1024 * 1024 })
      .tasks.get('gen_1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    await server.requests[0]!.aborted;
    expect(server.requests).toHaveLength(1);
  });

  it('counts the decompressed bytes of a gzip answer, not the Content-Length', async () => {
    const json = JSON.stringify({ data: { padding: 'x'.repeat(200_000) }, error: null });
    const zipped = gzipSync(json);
    expect(zipped.length).toBeLessThan(10_000);
    server.on(TASK, () => ({
      status: 200,
      body: zipped,
      headers: { 'content-encoding': 'gzip', 'content-type': 'application/json' },
    }));
    const error = await clientFor(server, { maxResponseBytes: 100_000 })
      .tasks.get('gen_1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
  });

  it('reads a chunked answer within the limit as usual', async () => {
    const body = JSON.stringify({ data: taskFixture({ id: 'gen_1' }), error: null });
    server.on(TASK, () => ({ status: 200, chunks: [body.slice(0, 10), body.slice(10)] }));
    await expect(
      clientFor(server, { maxResponseBytes: body.length }).tasks.get('gen_1'),
    ).resolves.toMatchObject({ id: 'gen_1' });
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses maxResponseBytes %s', (maxResponseBytes) => {
    expect(() => new EggAPI({ apiKey: 'sk', maxResponseBytes })).toThrow(RangeError);
  });
});

describe('task ids', () => {
  it.each(['', '.', '..', 'a/b', '../usage', 'a?b', 'a#b', 'a b', ' gen_1', 'gen_1\n', '%2e%2e'])(
    'refuses %j before sending anything',
    async (id) => {
      const client = clientFor(server);
      const error = await client.tasks.get(id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error).toMatchObject({ argument: 'id' });
      await expect(client.tasks.wait(id)).rejects.toBeInstanceOf(InvalidArgumentError);
      expect(server.requests).toHaveLength(0);
    },
  );

  it('refuses a non-string id at run time too', async () => {
    await expect(clientFor(server).tasks.get(42 as unknown as string)).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });

  it('sends a valid id as written', async () => {
    server.on('GET /v1/tasks/gen_A-1.2~b', [ok(taskFixture({ id: 'gen_A-1.2~b' }))]);
    await expect(clientFor(server).tasks.get('gen_A-1.2~b')).resolves.toMatchObject({
      id: 'gen_A-1.2~b',
    });
  });
});

describe('redirects', () => {
  it('does not follow a 302 on generate(): no GET is sent, an APIError says where it pointed', async () => {
    server.on('POST /v1/generate', () => ({
      status: 302,
      body: '',
      headers: { location: '/v1/elsewhere' },
    }));
    server.on('GET /v1/elsewhere', () => created());
    const error = await clientFor(server)
      .generate(params)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 302 });
    expect((error as APIError).headers.get('location')).toBe('/v1/elsewhere');
    expect((error as Error).message).toMatch(/redirect to \/v1\/elsewhere, not followed/);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /v1/generate']);
  });

  it.each([301, 307, 308])('does not follow a %i on a GET, nor retry it', async (status) => {
    server.on(TASK, () => ({ status, body: '', headers: { location: 'https://elsewhere.test/' } }));
    await expect(clientFor(server).tasks.get('gen_1')).rejects.toMatchObject({ status });
    expect(server.requests).toHaveLength(1);
  });
});
