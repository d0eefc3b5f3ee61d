import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createApp, createMockApp, startMockServer } from '../src/index.js';
import { call, createTask, mockServer, validRequest } from './support/harness.js';

describe('options', () => {
  it('take the CLI names too: apiKey, publicUrl, a plain rateLimit number', async () => {
    const server = await mockServer({
      apiKey: 'sk_single',
      publicUrl: 'https://mock.example.com',
      rateLimit: 2,
      now: () => Date.parse('2026-01-01T00:00:00.100Z'), // one rate-limit window for the whole test
    });
    expect(server.apiKey).toBe('sk_single');
    expect(server.apiKeys).toEqual(['sk_single']);
    const id = await createTask(server);
    const task = await call(server, 'GET', `/v1/tasks/${id}`);
    expect(task.body.data.output.url).toBe(`https://mock.example.com/images/${id}/0.png`);
    expect((await call(server, 'GET', '/v1/tasks')).status).toBe(429);
  });

  it('add apiKey to apiKeys when both are given', async () => {
    const server = await mockServer({ apiKey: 'sk_one', apiKeys: ['sk_two'] });
    expect(server.apiKeys).toEqual(['sk_one', 'sk_two']);
  });

  it('refuse a webhook secret with stray whitespace, naming it', () => {
    expect(() => createMockApp({ webhookSecret: 'whsec_x\n' })).toThrow(
      /webhookSecret: the webhook secret has leading or trailing whitespace/,
    );
  });

  it('refuse unknown options with the option named', () => {
    expect(() => createMockApp({ timing: 'warp' as never })).toThrow(
      /invalid mock server options: timing/,
    );
  });

  it('refuse a clock that is neither real nor virtual, and a virtual one with Redis, saying why', async () => {
    expect(() => createMockApp({ clock: 'frozen' as never })).toThrow(
      /invalid mock server options: clock/,
    );
    // Refused before any connection is tried: nothing listens on port 1.
    await expect(
      startMockServer({ clock: 'virtual', redis: { url: 'redis://127.0.0.1:1' } }),
    ).rejects.toThrow(
      new TypeError(
        "invalid mock server options: clock: 'virtual' cannot be used with redis: with Redis, BullMQ runs planned work on Redis time across instances, which a test clock cannot move; use the memory store (no redis) for a virtual clock",
      ),
    );
  });

  it('export createApp as the conventions name it', () => {
    expect(createApp).toBe(createMockApp);
  });
});

describe('edge requests', () => {
  it('validate a POST without a body as {} and name the missing fields', async () => {
    const server = await mockServer();
    const answer = await call(server, 'POST', '/v1/generate', {
      headers: { 'content-length': '0' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('VALIDATION_ERROR');
    expect(answer.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'model',
      'prompt',
    ]);
  });

  it('answer 404 for a very long unknown task id', async () => {
    const server = await mockServer();
    const answer = await call(server, 'GET', `/v1/tasks/gen_${'x'.repeat(300)}`);
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('NOT_FOUND');
  });

  it('accept extra spaces after Bearer and a lowercase scheme', async () => {
    const server = await mockServer();
    for (const authorization of ['Bearer   sk_test_eggapi', 'bearer sk_test_eggapi']) {
      expect(
        (await call(server, 'GET', '/v1/tasks', { auth: null, headers: { authorization } })).status,
      ).toBe(200);
    }
  });

  it('answer OPTIONS with 204, never express’s text/plain', async () => {
    const server = await mockServer();
    const answer = await call(server, 'OPTIONS', '/v1/tasks', { auth: null });
    expect(answer.status).toBe(204);
    expect(answer.text).toBe('');
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('send CORS headers to browsers (requests with an Origin)', async () => {
    const server = await mockServer();
    const browser = await call(server, 'GET', '/v1/tasks', {
      headers: { origin: 'http://localhost:3000' },
    });
    expect(browser.headers.get('access-control-allow-origin')).toBe('*');
    expect(browser.headers.get('access-control-expose-headers')).toContain('X-Request-Id');
  });

  it('link output images to the host a request came to when no public URL is set', async () => {
    const server = await mockServer();
    const id = await createTask(server, validRequest);
    // Read once through the listening address first: the rendered view of the ended task is kept,
    // and must not leak that address into answers for another host.
    const direct = await call(server, 'GET', `/v1/tasks/${id}`);
    expect(direct.body.data.output.url).toBe(`${server.url}/images/${id}/0.png`);
    // fetch may not set Host; node:http may, as a proxy in front of the mock would.
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(
        `${server.url}/v1/tasks/${id}`,
        { headers: { host: 'mock.internal:8080', authorization: `Bearer ${server.apiKey}` } },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(JSON.parse(body).data.output.url).toBe(`http://mock.internal:8080/images/${id}/0.png`);
  });

  it('repeats the ids of a fresh seeded server after a reset', async () => {
    const server = await mockServer({ seed: 'reset-me' });
    const first = await createTask(server);
    await server.reset();
    expect(await createTask(server)).toBe(first);
  });
});
