import { generateRequestFixture, taskFixture } from '@eggapi/contracts/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clientFor } from '../test/support/client.js';
import { ok, startScriptServer, type ScriptServer } from '../test/support/script-server.js';
import { DEFAULT_BASE_URL, EggAPI } from './client.js';
import { EggAPIError, InvalidArgumentError } from './errors.js';

let server: ScriptServer;
beforeEach(async () => {
  server = await startScriptServer();
});
afterEach(async () => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  await server.close();
});

describe('new EggAPI', () => {
  it('fails at construction, not with a 401 later, when no key is set', () => {
    vi.stubEnv('EGGAPI_API_KEY', '');
    expect(() => new EggAPI()).toThrow(
      new EggAPIError(
        'Missing API key: pass `new EggAPI({ apiKey })` or set the EGGAPI_API_KEY environment variable.',
      ),
    );
  });

  it('reads EGGAPI_API_KEY and EGGAPI_BASE_URL from the environment', async () => {
    vi.stubEnv('EGGAPI_API_KEY', 'sk_from_env');
    vi.stubEnv('EGGAPI_BASE_URL', `${server.url}/`);
    server.on('GET /v1/tasks/gen_1', [ok(taskFixture({ id: 'gen_1' }))]);
    const client = new EggAPI();
    expect(client.baseURL).toBe(server.url);
    await client.tasks.get('gen_1');
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sk_from_env');
  });

  it('defaults to the real service with 60 s timeouts and 2 retries', () => {
    vi.stubEnv('EGGAPI_BASE_URL', '');
    const client = new EggAPI({ apiKey: 'sk' });
    expect(client).toMatchObject({ baseURL: DEFAULT_BASE_URL, timeout: 60_000, maxRetries: 2 });
  });

  it('works where there is no process at all, as in a browser', () => {
    vi.stubGlobal('process', undefined);
    expect(() => new EggAPI()).toThrow(/Missing API key/);
    expect(new EggAPI({ apiKey: 'sk' }).baseURL).toBe(DEFAULT_BASE_URL);
  });

  it('takes no key from a process.env that refuses to be read (Deno without --allow-env)', () => {
    const env = new Proxy(
      {},
      {
        get: () => {
          throw new Error('NotCapable');
        },
      },
    );
    vi.stubGlobal('process', { env });
    expect(() => new EggAPI()).toThrow(/Missing API key/);
  });

  it.each([
    [{ timeout: 0 }, /timeout must be a positive number/],
    [{ timeout: -5 }, /timeout must be a positive number/],
    [{ maxRetries: -1 }, /maxRetries must be a whole number/],
    [{ maxRetries: 1.5 }, /maxRetries must be a whole number/],
    [{ baseURL: 'api.eggapi.ai' }, /baseURL is not an absolute URL/],
  ])('refuses %j', (options, message) => {
    expect(() => new EggAPI({ apiKey: 'sk', ...options })).toThrow(message);
  });

  it('refuses an invalid header at once instead of retrying it as a connection error', async () => {
    expect(() => new EggAPI({ apiKey: 'sk', defaultHeaders: { 'x-a': 'line\nbreak' } })).toThrow(
      TypeError,
    );
    const client = clientFor(server);
    await expect(client.tasks.get('gen_1', { headers: { 'bad name': 'x' } })).rejects.toThrow(
      TypeError,
    );
    await expect(
      client.generate(generateRequestFixture(), { idempotencyKey: 'a\r\nb' }),
    ).rejects.toThrow(TypeError);
    expect(server.requests).toHaveLength(0);
  });

  it('never shows the key when the client is logged', () => {
    const client = new EggAPI({ apiKey: 'sk_secret_value' });
    expect(JSON.stringify(client)).not.toContain('sk_secret_value');
  });

  it('uses the fetch it is given', async () => {
    const fetch = vi.fn((_url: string | URL | Request, _init?: RequestInit) =>
      Promise.resolve(
        new Response(JSON.stringify({ data: taskFixture({ id: 'gen_9' }), error: null }), {
          status: 200,
        }),
      ),
    );
    const client = new EggAPI({ apiKey: 'sk', baseURL: 'https://eggs.test', fetch });
    await expect(client.tasks.get('gen_9')).resolves.toMatchObject({ id: 'gen_9' });
    expect(fetch).toHaveBeenCalledWith('https://eggs.test/v1/tasks/gen_9', expect.any(Object));
  });
});

describe('generate', () => {
  it('posts the body as JSON and resolves with the pending task', async () => {
    const task = taskFixture({ id: 'gen_new', status: 'pending' });
    server.on('POST /v1/generate', [{ status: 202, json: { data: task, error: null } }]);
    const body = generateRequestFixture({ num_outputs: 2 });
    await expect(clientFor(server).generate(body)).resolves.toEqual(task);
    expect(JSON.parse(server.requests[0]!.body)).toEqual(body);
  });

  it('keeps fields and statuses a newer server adds', async () => {
    const task = { ...taskFixture({ id: 'gen_new' }), status: 'queued_v2', priority: 3 };
    server.on('POST /v1/generate', [{ status: 202, json: { data: task, error: null } }]);
    await expect(clientFor(server).generate(generateRequestFixture())).resolves.toEqual(task);
  });
});

describe('tasks.get', () => {
  it('reads the task', async () => {
    const task = taskFixture({ id: 'gen_abc123def456', status: 'completed' });
    server.on('GET /v1/tasks/gen_abc123def456', [ok(task, { 'x-request-id': 'req_1' })]);
    await expect(clientFor(server).tasks.get('gen_abc123def456')).resolves.toEqual(task);
  });

  it('accepts timestamps with offsets and microseconds', async () => {
    const task = taskFixture({
      id: 'gen_1',
      created_at: '2025-12-25T21:03:47.879577+08:00',
    });
    server.on('GET /v1/tasks/gen_1', [ok(task)]);
    await expect(clientFor(server).tasks.get('gen_1')).resolves.toEqual(task);
  });

  it('refuses an empty id before sending anything', async () => {
    await expect(clientFor(server).tasks.get('')).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(server.requests).toHaveLength(0);
  });
});
