import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterEach, beforeAll, afterAll, describe, expect, it, vi } from 'vitest';
import { createEggapiHandlers, type EggapiHandlers } from '@eggapi/mock-engine/msw';
import { validRequest } from './support/harness.js';

// What only the MSW transport has (the answers it shares with the HTTP server are in
// behaviour/transport.behaviour.test.ts): its options, its clock controls, its webhooks sent
// with fetch to a handler of the test's own, and close().
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.useRealTimers();
});
afterAll(() => server.close());

const KEY = 'sk_test_eggapi';
const auth = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };

function use(mock: EggapiHandlers) {
  server.use(...mock.handlers);
  return {
    create: async (body: object = validRequest) => {
      const response = await fetch(`${mock.baseUrl}/v1/generate`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(202);
      return ((await response.json()) as { data: { id: string } }).data.id;
    },
    status: async (id: string) => {
      const response = await fetch(`${mock.baseUrl}/v1/tasks/${id}`, { headers: auth });
      return ((await response.json()) as { data: { status: string } }).data.status;
    },
  };
}

describe('createEggapiHandlers', () => {
  it('answers at the real service by default, and at any base URL, path prefix included', async () => {
    const real = createEggapiHandlers();
    expect(real.baseUrl).toBe('https://api.eggapi.ai');
    const prefixed = createEggapiHandlers({ baseUrl: 'http://localhost:9999/eggapi/' });
    expect(prefixed.baseUrl).toBe('http://localhost:9999/eggapi');
    const { create } = use(prefixed);
    const id = await create();
    const answer = await fetch(`http://localhost:9999/eggapi/v1/tasks/${id}`, { headers: auth });
    const task = (await answer.json()) as { data: { output: { url: string } } };
    expect(task.data.output.url).toBe(`http://localhost:9999/eggapi/images/${id}/0.png`);
    expect((await fetch(task.data.output.url)).status).toBe(200);
  });

  it.each([
    [{ port: 4010 }, /port: not an option of createEggapiHandlers/],
    [{ redis: { url: 'redis://x' } }, /redis: not an option/],
    [{ baseUrl: 'api.eggapi.ai' }, /baseUrl: must be an absolute http\(s\) URL/],
    [{ baseUrl: 'https://api.eggapi.ai/?x=1' }, /baseUrl/],
    [{ timing: 'slow' }, /timing/],
    [{ apiKeys: [] }, /apiKeys/],
  ])('refuses %j with a TypeError naming it', (options, message) => {
    expect(() => createEggapiHandlers(options as never)).toThrow(TypeError);
    expect(() => createEggapiHandlers(options as never)).toThrow(message);
  });

  it('advance() moves its clock: tasks end, and their webhooks go to a handler of the test', async () => {
    const received: Request[] = [];
    server.use(
      http.post('https://receiver.test/hook', ({ request }) => {
        received.push(request);
        return new HttpResponse(null, { status: received.length === 1 ? 500 : 204 });
      }),
    );
    // A clock that stands still but for advance(): exact steps.
    const mock = createEggapiHandlers({
      now: () => Date.parse('2026-05-08T10:30:00Z'),
      timing: { queueMs: 1_000, processingMs: 4_000 },
      webhookSecret: 'whsec_msw',
      webhooks: { backoffBaseMs: 2_000 },
    });
    const { create, status } = use(mock);
    const id = await create({ ...validRequest, webhook_url: 'https://receiver.test/hook' });
    expect(await status(id)).toBe('pending');
    await mock.advance(1_000);
    expect(await status(id)).toBe('processing');
    await mock.advance(4_000);
    // The first attempt was made (and answered 500) before advance() resolved.
    expect(received).toHaveLength(1);
    expect(received[0]!.headers.get('x-eggapi-signature')).toMatch(/^sha256=[0-9a-f]{64}$/);
    await mock.advance(1_999);
    expect(received).toHaveLength(1);
    await mock.advance(1);
    expect(received).toHaveLength(2);
    const [delivery] = await mock.deliveries(id);
    expect(delivery).toMatchObject({ state: 'succeeded' });
    expect(delivery!.attempts.map((a) => a.status)).toEqual([500, 204]);
    expect(await status(id)).toBe('completed');
  });

  it('follows fake timers: vi.advanceTimersByTime moves its clock, tick() applies what is due', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-05-08T10:30:00Z'), toFake: ['Date', 'setTimeout'] });
    const mock = createEggapiHandlers({ timing: { queueMs: 500, processingMs: 500 } });
    const { create, status } = use(mock);
    const id = await create();
    vi.advanceTimersByTime(999);
    await mock.tick();
    expect(await status(id)).toBe('processing');
    vi.advanceTimersByTime(1);
    await mock.tick();
    const [task] = (await mock.engine.listTasks(KEY, { page: 1, per_page: 1 }, mock.baseUrl)).items;
    expect(task).toMatchObject({ status: 'completed', completed_at: '2026-05-08T10:30:01Z' });
  });

  it('carries the test controls: completeTask, failTask, setTiming, reset', async () => {
    const mock = createEggapiHandlers({ timing: 'realistic' });
    const { create, status } = use(mock);
    const [a, b] = [await create(), await create()];
    await mock.completeTask(a);
    await mock.failTask(b, 'boom');
    expect([await status(a), await status(b)]).toEqual(['completed', 'failed']);
    await mock.setTiming('instant');
    const c = await create();
    expect(await status(c)).toBe('completed');
    await mock.reset();
    const gone = await fetch(`${mock.baseUrl}/v1/tasks/${a}`, { headers: auth });
    expect(gone.status).toBe(404);
  });

  it('answers HEAD like GET without a body', async () => {
    const mock = createEggapiHandlers();
    use(mock);
    const head = await fetch(`${mock.baseUrl}/v1/tasks`, { method: 'HEAD', headers: auth });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await head.text()).toBe('');
  });

  it('answers 503 once closed, and reports the tasks it left', async () => {
    const mock = createEggapiHandlers({ timing: 'realistic' });
    const { create } = use(mock);
    const id = await create();
    expect(await mock.close()).toEqual({ unendedTasks: [id], undeliveredWebhooks: [] });
    const answer = await fetch(`${mock.baseUrl}/v1/tasks`, { headers: auth });
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('1');
  });

  it('reports a bug as 500 INTERNAL_ERROR to the caller and the error to onError', async () => {
    const onError = vi.fn();
    const mock = createEggapiHandlers({ onError });
    use(mock);
    vi.spyOn(mock.engine, 'listUsage').mockRejectedValueOnce(new Error('bug'));
    const answer = await fetch(`${mock.baseUrl}/v1/usage`, { headers: auth });
    expect(answer.status).toBe(500);
    expect(await answer.json()).toEqual({
      data: null,
      error: { code: 'INTERNAL_ERROR', message: 'internal server error' },
    });
    expect(onError).toHaveBeenCalledWith(new Error('bug'));
  });
});
