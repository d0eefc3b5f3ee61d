import {
  AuthenticationError,
  EggAPI,
  NotFoundError,
  TaskFailedError,
  ValidationError,
} from '@eggapi/client';
import { createEggapiHandlers } from '@eggapi/mock-server/msw';
import { verifyWebhook } from '@eggapi/webhook/web';
import { decode } from 'fast-png';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

// The MSW transport as a front-end or unit-test suite uses it: MSW's setupServer in this
// process, @eggapi/client with its defaults (the real service's base URL), no port anywhere.
const SECRET = 'whsec_msw_client';
const mock = createEggapiHandlers({
  timing: 'fast',
  webhookSecret: SECRET,
  validateResponses: true,
});
const received: { verified: unknown }[] = [];
const server = setupServer(
  ...mock.handlers,
  // The receiver of the code under test, as the test's own handler.
  http.post('https://hooks.example.test/eggapi', async ({ request }) => {
    const payload = await request.text();
    received.push({
      verified: await verifyWebhook({ payload, headers: request.headers, secret: SECRET }),
    });
    return new HttpResponse(null, { status: 204 });
  }),
);
const client = new EggAPI({ apiKey: mock.apiKey });
const fast = { pollInterval: 50 };

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(async () => {
  await mock.reset();
  received.length = 0;
});
afterAll(async () => {
  server.close();
  await mock.close();
});

describe('the MSW handlers under @eggapi/client', () => {
  it('run the client against the real base URL by default', () => {
    expect(client.baseURL).toBe('https://api.eggapi.ai');
    expect(mock.baseUrl).toBe(client.baseURL);
  });

  it('create → wait → completed, with real PNG bytes of the requested size', async () => {
    const created = await client.generate({
      model: 'nanobanana',
      prompt: 'A red fox in fresh snow',
      aspect_ratio: '9:16',
      num_outputs: 2,
    });
    expect(created.status).toBe('pending');
    const seen: string[] = [];
    const task = await client.tasks.wait(created.id, {
      ...fast,
      onProgress: (t) => seen.push(t.status),
    });
    expect(task.status).toBe('completed');
    expect(seen.at(-1)).toBe('completed');
    expect(task.output?.urls).toHaveLength(2);
    for (const url of task.output!.urls!) {
      expect(url.startsWith(`https://api.eggapi.ai/images/${task.id}/`)).toBe(true);
      const response = await fetch(url);
      expect(response.headers.get('content-type')).toBe('image/png');
      const png = decode(new Uint8Array(await response.arrayBuffer()));
      expect([png.width, png.height, png.channels]).toEqual([576, 1024, 3]);
    }
  });

  it('lists tasks newest first page by page, and usage for the completed ones', async () => {
    await mock.setTiming('instant');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await client.generate({ model: 'nanobanana', prompt: `fox ${i}` })).id);
    }
    const first = await client.tasks.list({ per_page: 2 });
    expect(first.pagination).toEqual({ page: 1, per_page: 2, total: 5, total_pages: 3 });
    expect(first.items.map((t) => t.id)).toEqual([ids[4], ids[3]]);
    const all: string[] = [];
    for await (const task of client.tasks.list({ per_page: 2 })) all.push(task.id);
    expect(all).toEqual([...ids].reverse());
    const usage = await client.usage.list({ per_page: 10 });
    expect(usage.items.map((u) => u.task_id)).toEqual([...ids].reverse());
    await mock.setTiming('fast');
  });

  it('turns 401, 400 and 404 envelopes into the client’s error classes', async () => {
    const stranger = new EggAPI({ apiKey: 'sk_unknown' });
    const unauthorized = await stranger.tasks.list().catch((e: unknown) => e);
    expect(unauthorized).toBeInstanceOf(AuthenticationError);
    expect(unauthorized).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    const invalid = await client
      .generate({ model: 'nanobanana', prompt: 'x'.repeat(2001) })
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ValidationError);
    expect(invalid).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
    const missing = await client.tasks.get('gen_nothing_here').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing).toMatchObject({ status: 404, message: 'task gen_nothing_here not found' });
    // The raw envelope, as plain fetch sees it.
    const raw = await fetch('https://api.eggapi.ai/v1/tasks/gen_nothing_here', {
      headers: { authorization: `Bearer ${mock.apiKey}` },
    });
    expect(await raw.json()).toEqual({
      data: null,
      error: { code: 'NOT_FOUND', message: 'task gen_nothing_here not found' },
    });
  });

  it('lets the client retry an injected 503 and succeed', async () => {
    const task = await client.generate({ model: 'nanobanana', prompt: 'a fox' });
    await mock.injectFault({ kind: '503', route: 'GET /v1/tasks/*', retryAfterSeconds: 0 });
    const { data, response } = await client.tasks.get(task.id).withResponse();
    expect(data.id).toBe(task.id);
    expect(response.status).toBe(200);
    expect(await mock.engine.faults()).toEqual([]);
  });

  it('reports a failed task as TaskFailedError with its message', async () => {
    const error = await client
      .run({ model: 'nanobanana', prompt: 'a fox [[mock: fail="the fox ran away"]]' }, { ...fast })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskFailedError);
    expect((error as TaskFailedError).task).toMatchObject({
      status: 'failed',
      error: 'the fox ran away',
    });
  });

  it('sends a signed webhook to webhook_url, verified with @eggapi/webhook', async () => {
    const task = await client.run(
      {
        model: 'nanobanana',
        prompt: 'a fox',
        webhook_url: 'https://hooks.example.test/eggapi',
      },
      fast,
    );
    const [delivery] = await mock.waitForDeliveries(task.id, (d) => d[0]?.state === 'succeeded');
    expect(delivery!.attempts).toMatchObject([{ status: 204 }]);
    expect(received).toEqual([
      { verified: expect.objectContaining({ event: 'task.completed', task_id: task.id }) },
    ]);
  });
});
