import { TaskEnvelopeSchema, TaskPageEnvelopeSchema, type Task } from '@eggapi/contracts';
import { verifyWebhook } from '@eggapi/webhook';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { call, validRequest } from '../support/harness.js';
import { startReceiver } from '../support/receiver.js';
import { TRANSPORT_FACTORIES, type SharedOptions, type TransportUnderTest } from './transports.js';

// One table of HTTP-level behaviour, run through every transport: the express server and the MSW
// handlers must give the same statuses, envelopes and headers (the engine's own table,
// engine.behaviour.test.ts, runs beneath both).
describe.each(TRANSPORT_FACTORIES)('through the %s', (_name, start) => {
  const running: TransportUnderTest[] = [];
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((t) => t.close()));
    await Promise.all(closers.splice(0).map((close) => close()));
  });
  const mock = async (options: SharedOptions = {}) => {
    const t = await start(options);
    running.push(t);
    return t;
  };
  const create = async (t: TransportUnderTest, body: object = validRequest) => {
    const answer = await call(t, 'POST', '/v1/generate', { body });
    expect(answer.status, answer.text).toBe(202);
    return answer.body.data.id as string;
  };

  it('creates a task, completes it, and serves its PNG with caching headers', async () => {
    const t = await mock();
    const created = await call(t, 'POST', '/v1/generate', {
      body: { ...validRequest, aspect_ratio: '16:9' },
    });
    expect(created.status).toBe(202);
    expect(TaskEnvelopeSchema.parse(created.body).data.status).toBe('pending');
    expect(created.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(created.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{24}$/);
    const id = created.body.data.id as string;
    const polled = await call(t, 'GET', `/v1/tasks/${id}`);
    expect(polled.body.data).toMatchObject({
      status: 'completed',
      output: { url: `${t.url}/images/${id}/0.png` },
    });
    const image = await fetch(polled.body.data.output.url);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const png = PNG.sync.read(Buffer.from(await image.arrayBuffer()));
    expect([png.width, png.height]).toEqual([1024, 576]);
    // With its own Cache-Control: fetch adds `no-cache` to a conditional request without one.
    const again = await fetch(polled.body.data.output.url, {
      headers: { 'if-none-match': image.headers.get('etag')!, 'cache-control': 'max-age=0' },
    });
    expect(again.status).toBe(304);
    const missing = await call(t, 'GET', `/images/${id}/1.png`, { auth: null });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe(`no image at /images/${id}/1.png`);
  });

  it('answers 401 with WWW-Authenticate for a missing or unknown key', async () => {
    const t = await mock();
    const none = await call(t, 'GET', '/v1/tasks', { auth: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(none.body).toEqual({
      data: null,
      error: {
        code: 'UNAUTHORIZED',
        message: 'missing API key: send "Authorization: Bearer <api key>"',
      },
    });
    const unknown = await call(t, 'GET', '/v1/tasks', { auth: 'sk_nobody' });
    expect(unknown.body.error).toEqual({ code: 'UNAUTHORIZED', message: 'invalid API key' });
  });

  it.each([
    [
      'a body missing fields, with an unknown one',
      { body: { model: 'nanobanana', extra: 1 } },
      [{ path: 'prompt' }, { path: 'extra', message: 'unknown field' }],
      undefined,
    ],
    [
      'malformed JSON',
      { body: '{"model":' },
      [{ path: '', message: 'malformed JSON' }],
      'request body is not valid JSON',
    ],
    [
      'JSON that is not an object',
      { body: '"fox"' },
      [{ path: '', message: 'expected an object' }],
      'request body must be a JSON object',
    ],
    [
      'a body that is not JSON',
      { body: 'prompt=fox', headers: { 'content-type': 'text/plain' } },
      [{ path: 'headers.content-type', message: 'must be application/json' }],
      'Content-Type: must be application/json',
    ],
    [
      'a bad Idempotency-Key',
      { body: validRequest, headers: { 'idempotency-key': 'two words' } },
      [{ path: 'headers.idempotency-key', message: 'must be 1–255 visible ASCII characters' }],
      'Idempotency-Key: must be 1–255 visible ASCII characters',
    ],
  ] as [string, { body?: unknown; headers?: Record<string, string> }, object[], string?][])(
    'refuses %s with 400 VALIDATION_ERROR',
    async (_case, init, details, message) => {
      const t = await mock();
      const answer = await call(t, 'POST', '/v1/generate', init);
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('VALIDATION_ERROR');
      expect(answer.body.error.details).toMatchObject(details);
      if (message) expect(answer.body.error.message).toBe(message);
    },
  );

  it('refuses a body over maxBodyBytes, and reads an empty one as {}', async () => {
    const t = await mock({ maxBodyBytes: 64 });
    const large = await call(t, 'POST', '/v1/generate', {
      body: { ...validRequest, prompt: 'x'.repeat(100) },
    });
    expect(large.body.error).toEqual({
      code: 'VALIDATION_ERROR',
      message: 'request body exceeds the limit of 64 bytes',
      details: [{ path: '', message: 'body too large' }],
    });
    const empty = await call(t, 'POST', '/v1/generate');
    expect(empty.status).toBe(400);
    expect(empty.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'model',
      'prompt',
    ]);
  });

  it('answers 404 for unknown tasks and routes, with Allow for a wrong method', async () => {
    const t = await mock();
    const task = await call(t, 'GET', '/v1/tasks/gen_missing');
    expect(task.status).toBe(404);
    expect(task.body.error).toEqual({ code: 'NOT_FOUND', message: 'task gen_missing not found' });
    const route = await call(t, 'GET', '/v1/nothing');
    expect(route.body.error.message).toBe('no route for GET /v1/nothing');
    const method = await call(t, 'DELETE', '/v1/tasks/gen_x');
    expect(method.status).toBe(404);
    expect(method.headers.get('allow')).toBe('GET, HEAD');
    expect(method.body.error.message).toBe(
      'no route for DELETE /v1/tasks/gen_x; it takes GET, HEAD',
    );
    const outside = await call(t, 'GET', '/nowhere', { auth: null });
    expect(outside.body.error.message).toBe('no route for GET /nowhere');
  });

  it('lists tasks newest first with pagination, validates the query, and lists usage', async () => {
    const t = await mock();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await create(t, { ...validRequest, prompt: `n${i}` }));
    const page = await call(t, 'GET', '/v1/tasks?page=2&per_page=2');
    expect(TaskPageEnvelopeSchema.parse(page.body).data.pagination).toEqual({
      page: 2,
      per_page: 2,
      total: 3,
      total_pages: 2,
    });
    expect(page.body.data.items.map((task: { id: string }) => task.id)).toEqual([ids[0]]);
    const bad = await call(t, 'GET', '/v1/tasks?per_page=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toMatchObject([{ path: 'per_page' }]);
    const twice = await call(t, 'GET', '/v1/tasks?page=1&page=2');
    expect(twice.status).toBe(400);
    const usage = await call(t, 'GET', '/v1/usage?per_page=1');
    expect(usage.body.data.items).toHaveLength(1);
    expect(usage.body.data.pagination.total).toBe(3);
    expect(usage.body.data.items[0]).toMatchObject({ task_id: ids[2], cost: '$0.0100' });
  });

  it('replays an idempotent create with Idempotent-Replayed and refuses another body (409)', async () => {
    const t = await mock();
    const headers = { 'idempotency-key': 'same-key' };
    const first = await call(t, 'POST', '/v1/generate', { body: validRequest, headers });
    const again = await call(t, 'POST', '/v1/generate', { body: validRequest, headers });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(again.body.data.id).toBe(first.body.data.id);
    const other = await call(t, 'POST', '/v1/generate', {
      body: { ...validRequest, prompt: 'other' },
      headers,
    });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('injects queued and header faults with Retry-After, and drops the connection on reset', async () => {
    const t = await mock();
    await t.controls.injectFault({ kind: '503', route: 'GET /v1/tasks', retryAfterSeconds: 2 });
    const queued = await call(t, 'GET', '/v1/tasks', { auth: null });
    expect(queued.status).toBe(503);
    expect(queued.headers.get('retry-after')).toBe('2');
    expect(queued.headers.get('x-eggapi-mock-fault-injected')).toBe('503');
    expect(queued.body.error.code).toBe('SERVICE_UNAVAILABLE');
    const header = await call(t, 'GET', '/v1/usage', {
      headers: { 'x-eggapi-mock-fault': '429; retry-after=3' },
    });
    expect(header.status).toBe(429);
    expect(header.headers.get('retry-after')).toBe('3');
    const bad = await call(t, 'GET', '/v1/usage', { headers: { 'x-eggapi-mock-fault': '418' } });
    expect(bad.body.error.details).toMatchObject([{ path: 'headers.x-eggapi-mock-fault' }]);
    await t.controls.injectFault({ kind: 'reset' });
    await expect(call(t, 'GET', '/v1/tasks')).rejects.toThrow(TypeError);
    expect((await call(t, 'GET', '/v1/tasks')).status).toBe(200);
  });

  it('fails a scenario task with its message and refuses what a balance cannot pay (403)', async () => {
    const t = await mock({ balances: { sk_test_eggapi: 10_000 } });
    const failed = await call(t, 'POST', '/v1/generate', {
      body: validRequest,
      headers: { 'x-eggapi-mock-scenario': 'fail="no fox today"' },
    });
    const polled = await call(t, 'GET', `/v1/tasks/${failed.body.data.id}`);
    expect(polled.body.data).toMatchObject({ status: 'failed', error: 'no fox today' });
    await create(t);
    const broke = await call(t, 'POST', '/v1/generate', { body: validRequest });
    expect(broke.status).toBe(403);
    expect(broke.body.error.code).toBe('INSUFFICIENT_BALANCE');
  });

  it('limits the rate with 429 and Retry-After', async () => {
    // A virtual clock: the three calls are in one one-second window however slow the machine.
    const t = await mock({ rateLimit: 2, clock: 'virtual' });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await call(t, 'GET', '/v1/tasks'));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
    expect(answers[2]!.headers.get('retry-after')).toBe('1');
    // The next window lets requests through again.
    await t.controls.advance(1_000);
    expect((await call(t, 'GET', '/v1/tasks')).status).toBe(200);
  });

  it('answers preflights 204 with CORS headers, and echoes a sane X-Request-Id', async () => {
    const t = await mock();
    const preflight = await fetch(`${t.url}/v1/generate`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
    const answer = await call(t, 'GET', '/v1/tasks', {
      headers: { origin: 'https://app.example', 'x-request-id': 'trace-42' },
    });
    expect(answer.headers.get('x-request-id')).toBe('trace-42');
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(answer.headers.get('access-control-expose-headers')).toContain('Idempotent-Replayed');
  });

  it('grants CORS only to the origins of corsOrigins, echoed with Vary: Origin', async () => {
    const app = 'http://localhost:5173';
    const t = await mock({ corsOrigins: [app] });
    const id = await create(t);
    for (const path of ['/v1/tasks', `/images/${id}/0.png`, '/v1/nowhere']) {
      const allowed = await call(t, 'GET', path, { headers: { origin: app } });
      expect(allowed.headers.get('access-control-allow-origin')).toBe(app);
      expect(allowed.headers.get('vary')).toBe('Origin');
      const other = await call(t, 'GET', path, { headers: { origin: 'http://evil.example' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      expect(other.headers.get('vary')).toBe('Origin');
    }
    const refused = await fetch(`${t.url}/v1/generate`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(refused.status).toBe(204);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(refused.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('limits image requests with 429 and Retry-After in a bucket apart from /v1', async () => {
    const now = Date.parse('2026-01-01T00:00:00.100Z'); // one rate-limit window for the whole test
    const t = await mock({ rateLimit: 3, now: () => now });
    const id = await create(t);
    // The create above spent one of /v1's three; images have three of their own.
    const images = [];
    for (let i = 0; i < 4; i++) images.push(await call(t, 'GET', `/images/${id}/0.png`));
    expect(images.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(images[3]!.headers.get('retry-after')).toBe('1');
    expect(images[3]!.body.error.code).toBe('RATE_LIMITED');
    // /v1 still has budget left in its own bucket.
    expect((await call(t, 'GET', '/v1/tasks')).status).toBe(200);
  });

  it('sends a signed webhook to a real receiver once the task ends', async () => {
    const receiver = await startReceiver();
    closers.push(receiver.close);
    const t = await mock({ webhookSecret: 'whsec_transport' });
    const id = await create(t, { ...validRequest, webhook_url: receiver.url });
    await call(t, 'GET', `/v1/tasks/${id}`);
    const [delivery] = await t.controls.waitForDeliveries(id, (d) => d[0]?.state === 'succeeded');
    expect(receiver.received).toHaveLength(1);
    const { body, headers } = receiver.received[0]!;
    expect(body).toBe(delivery!.body);
    const event = verifyWebhook({ payload: body, headers, secret: 'whsec_transport' });
    expect(event).toMatchObject({ event: 'task.completed', task_id: id });
  });

  it("shows an ended task's webhook event as its delivery carries it, and refuses one not ended", async () => {
    const receiver = await startReceiver();
    closers.push(receiver.close);
    const t = await mock();
    const id = await create(t, { ...validRequest, webhook_url: receiver.url });
    const [delivery] = await t.controls.waitForDeliveries(id, (d) => d[0]?.state === 'succeeded');
    const shown = await call(t, 'GET', `/__admin/tasks/${id}/webhook-event`);
    expect(shown.status, shown.text).toBe(200);
    expect(JSON.stringify(shown.body.data)).toBe(delivery!.body);

    await t.controls.setTiming({ queueMs: 60_000, processingMs: 0, jitter: 0 });
    const pending = await create(t, { ...validRequest, num_outputs: 2 });
    const early = await call(t, 'GET', `/__admin/tasks/${pending}/webhook-event`);
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({
      code: 'CONFLICT',
      message: `task ${pending} has not ended (it is pending): it has no webhook event yet`,
    });
    await t.controls.failTask(pending, 'generation failed: out of eggs');
    const failed = await call(t, 'GET', `/__admin/tasks/${pending}/webhook-event`);
    expect(failed.body.data).toMatchObject({
      event: 'task.failed',
      task_id: pending,
      error: 'generation failed: out of eggs',
    });
    const missing = await call(t, 'GET', '/__admin/tasks/gen_nosuchtask1/webhook-event');
    expect(missing.status).toBe(404);
  });

  it('on a virtual clock: a realistic task and a receiver failing twice follow advance, at the virtual times', async () => {
    const receiver = await startReceiver([500, 500]);
    closers.push(receiver.close);
    const secret = 'whsec_virtual';
    const t = await mock({
      clock: 'virtual',
      timing: 'realistic',
      seed: 'clock',
      webhookSecret: secret,
    });
    const iso = (ms: number) => new Date(ms).toISOString();
    const seen: string[] = [];
    const stop = t.controls.engine.on((event) => {
      if (event.type === 'task.ended') seen.push(event.status);
      if (event.type === 'delivery.attempted') {
        seen.push(`attempt ${event.attempt.attempt} (${event.attempt.status})`);
      }
    });
    closers.push(() => Promise.resolve(stop()));
    const clock = await call(t, 'GET', '/__admin/clock');
    expect(clock.status).toBe(200);
    expect(clock.body.data.mode).toBe('virtual');
    const start = Date.parse(clock.body.data.now);
    const advance = async (ms: number) => {
      const answer = await call(t, 'POST', '/__admin/clock/advance', { body: { ms } });
      expect(answer.status, answer.text).toBe(200);
      return answer.body.data as { now: string; mode: string };
    };
    const task = async () => (await call<{ data: Task }>(t, 'GET', `/v1/tasks/${id}`)).body.data;
    const attempts = async () => (await t.controls.deliveries(id))[0]?.attempts ?? [];

    const id = await create(t, { ...validRequest, webhook_url: receiver.url });
    seen.push('created');
    const { timeline } = (await call(t, 'GET', `/__admin/tasks/${id}`)).body.data;
    const endsAt = Date.parse(timeline.ends_at);
    expect(timeline).toMatchObject({ created_at: iso(start), starts_at: iso(start + 1_000) });
    // Realistic timing: 1 s queued, 4 to 8 s processing.
    expect(endsAt - start).toBeGreaterThanOrEqual(5_000);
    expect(endsAt - start).toBeLessThanOrEqual(9_000);
    expect((await task()).status).toBe('pending');

    await t.controls.advance(1_000);
    expect(await task()).toMatchObject({
      status: 'processing',
      started_at: iso(start + 1_000).replace(/\.\d+Z$/, 'Z'),
    });
    seen.push('processing');
    expect(await advance(endsAt - start - 1_000 - 1)).toEqual({
      now: iso(endsAt - 1),
      mode: 'virtual',
    });
    expect((await task()).status).toBe('processing');
    expect(receiver.received).toHaveLength(0);

    // Each step answers once everything it made due has happened: no waiting for the receiver.
    await advance(1);
    expect((await task()).status).toBe('completed');
    expect(receiver.received).toHaveLength(1);
    await t.controls.advance(999);
    expect(receiver.received).toHaveLength(1);
    await t.controls.advance(1);
    expect(receiver.received).toHaveLength(2);
    expect(await advance(2_000)).toEqual({ now: iso(endsAt + 3_000), mode: 'virtual' });
    expect(receiver.received).toHaveLength(3);

    expect(seen).toEqual([
      'created',
      'processing',
      'completed',
      'attempt 1 (500)',
      'attempt 2 (500)',
      'attempt 3 (200)',
    ]);
    const times = [endsAt, endsAt + 1_000, endsAt + 3_000];
    expect((await attempts()).map((a) => [a.at, a.status])).toEqual([
      [iso(times[0]!), 500],
      [iso(times[1]!), 500],
      [iso(times[2]!), 200],
    ]);
    expect((await t.controls.deliveries(id))[0]!.state).toBe('succeeded');
    for (const [i, { headers, body }] of receiver.received.entries()) {
      expect(headers['x-eggapi-timestamp']).toBe(String(Math.floor(times[i]! / 1000)));
      const event = verifyWebhook({ payload: body, headers, secret, now: times[i]! });
      expect(event).toMatchObject({ task_id: id, timestamp: Math.floor(endsAt / 1000) });
    }
    expect((await task()).completed_at).toBe(iso(endsAt).replace(/\.\d+Z$/, 'Z'));
    expect(t.controls.clock()).toEqual({ now: iso(endsAt + 3_000), mode: 'virtual' });
    // The journal saw the app's side at the same virtual times: created, then polled.
    const journal = (await t.controls.requests({ task_id: id })).reverse();
    expect(journal.map((e) => [e.method, e.status, Date.parse(e.at) - start])).toEqual([
      ['POST', 202, 0],
      ['GET', 200, 0],
      ['GET', 200, 1_000],
      ['GET', 200, endsAt - start - 1],
      ['GET', 200, endsAt - start],
      ['GET', 200, endsAt - start + 3_000],
    ]);
  });

  it('on a virtual clock: stands still for reads, and refuses a bad step (400, RangeError)', async () => {
    const t = await mock({ clock: 'virtual', timing: 'fast' });
    const id = await create(t);
    const before = await call(t, 'GET', '/__admin/clock');
    for (let i = 0; i < 3; i++)
      expect((await call(t, 'GET', `/v1/tasks/${id}`)).body.data.status).toBe('pending');
    expect((await call(t, 'GET', '/__admin/clock')).body).toEqual(before.body);
    for (const body of [
      { ms: -1 },
      { ms: 1.5 },
      { ms: '1000' },
      {},
      { ms: 365 * 24 * 3_600_000 + 1 },
      { ms: 1, by: 2 },
    ]) {
      const refused = await call(t, 'POST', '/__admin/clock/advance', { body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.code).toBe('VALIDATION_ERROR');
    }
    await expect(t.controls.advance(-1)).rejects.toThrow(RangeError);
    expect((await call(t, 'GET', '/__admin/clock')).body).toEqual(before.body);
    // Fast timing: every task has ended 700 ms after its creation.
    await t.controls.advance(700);
    expect((await call(t, 'GET', `/v1/tasks/${id}`)).body.data.status).toBe('completed');
  });

  it('journals /v1 and image requests (not admin, not preflights), newest first, the key fingerprinted', async () => {
    const t = await mock();
    const id = await create(t, { ...validRequest, prompt: 'a red fox' });
    await call(t, 'GET', `/images/${id}/0.png`, { auth: null });
    await call(t, 'GET', '/v1/tasks?per_page=5', { auth: 'sk_unknown_key_123' });
    await call(t, 'GET', '/__admin/config');
    await fetch(`${t.url}/v1/generate`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    const listed = await call(t, 'GET', '/__admin/requests');
    expect(listed.status).toBe(200);
    const entries = listed.body.data.items;
    expect(entries.map((e: any) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      'GET /v1/tasks 401',
      `GET /images/${id}/0.png 200`,
      'POST /v1/generate 202',
    ]);
    expect(listed.body.data.pagination).toEqual({
      page: 1,
      per_page: 20,
      total: 3,
      total_pages: 1,
    });
    expect(entries[0]).toMatchObject({
      query: { per_page: '5' },
      headers: { authorization: 'Bearer sk_u…y_123' },
      code: 'UNAUTHORIZED',
    });
    expect(entries[1].task_id).toBe(id);
    expect(entries[2]).toMatchObject({
      body: { ...validRequest, prompt: 'a red fox' },
      task_id: id,
      headers: { authorization: 'Bearer sk_t…ggapi', 'content-type': 'application/json' },
    });
    expect(entries[2].at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(listed.text).not.toContain('sk_unknown_key_123');
    const filtered = await call(t, 'GET', `/__admin/requests?status=202&method=post&task_id=${id}`);
    expect(filtered.body.data.items).toHaveLength(1);
    const bad = await call(t, 'GET', '/__admin/requests?status=abc&per_page=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'per_page',
      'status',
    ]);
    expect((await t.controls.requests({ path: '/v1/tasks' }))[0]!.status).toBe(401);
  });

  it('journals a malformed body as its text, a dropped connection as status 0, and clears', async () => {
    const t = await mock();
    await call(t, 'POST', '/v1/generate', { body: '{"model":' });
    await t.controls.injectFault({ kind: 'reset', route: 'GET /v1/usage' });
    await expect(call(t, 'GET', '/v1/usage')).rejects.toThrow(TypeError);
    const [dropped, malformed] = await t.controls.requests();
    expect(malformed).toMatchObject({ status: 400, code: 'VALIDATION_ERROR', body: '{"model":' });
    expect(dropped).toMatchObject({ path: '/v1/usage', status: 0, code: 'CONNECTION_RESET' });
    const cleared = await call(t, 'DELETE', '/__admin/requests');
    expect(cleared.body).toEqual({ data: [], error: null });
    expect(await t.controls.requests()).toEqual([]);
    await create(t);
    await t.controls.reset();
    expect(await t.controls.requests()).toEqual([]);
  });

  it('verifies over HTTP: 200 with the matches, 422 VERIFICATION_FAILED with the near-miss report', async () => {
    const t = await mock();
    await create(t, { ...validRequest, prompt: 'a red cat' });
    const ok = await call(t, 'POST', '/__admin/requests/verify', {
      body: { matcher: { method: 'POST', path: '/v1/generate', body: { prompt: '/cat$/' } } },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.data).toHaveLength(1);
    const failed = await call(t, 'POST', '/__admin/requests/verify', {
      body: { matcher: { method: 'POST', path: '/v1/generate', body: { prompt: 'a red fox' } } },
    });
    expect(failed.status).toBe(422);
    expect(failed.body.error).toEqual({
      code: 'VERIFICATION_FAILED',
      message: [
        'Expected exactly 1 request matching POST /v1/generate body {"prompt":"a red fox"}, but 0 matched (1 recorded).',
        '1 nearest miss:',
        '  1. POST /v1/generate → 202',
        '       body.prompt: expected "a red fox", got "a red cat"',
      ].join('\n'),
      details: [
        { path: 'near_misses.0.body.prompt', message: 'expected "a red fox", got "a red cat"' },
      ],
    });
    const invalid = await call(t, 'POST', '/__admin/requests/verify', {
      body: { matcher: { path: '/(/', colour: 'red' }, within: 60_001 },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('VALIDATION_ERROR');
    expect(invalid.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'matcher.colour',
      'within',
    ]);
    const badRegex = await call(t, 'POST', '/__admin/requests/verify', {
      body: { matcher: { path: '/(/' } },
    });
    expect(badRegex.body.error.details).toMatchObject([{ path: 'matcher.path' }]);
  });

  it('verifies in code, waiting within its time for a request sent in the background', async () => {
    const t = await mock();
    let sent: Promise<string> | undefined;
    setTimeout(() => {
      sent = create(t);
    }, 30);
    const [entry] = await t.controls.expectRequest(
      { method: 'POST', path: '/v1/generate' },
      { within: 5_000 },
    );
    expect(entry!.status).toBe(202);
    expect(entry!.task_id).toBe(await sent);
    await expect(t.controls.expectRequest({ path: '/v1/usage' })).rejects.toThrow(
      'Expected exactly 1 request matching any method /v1/usage, but 0 matched (1 recorded).',
    );
    await expect(t.controls.expectRequest({ path: '/(/' })).rejects.toThrow(TypeError);
  });

  it('journals a large body as its first 2 KB of text', async () => {
    const t = await mock();
    const body = JSON.stringify({ ...validRequest, prompt: 'p'.repeat(60_000) });
    const answer = await call(t, 'POST', '/v1/generate', { body });
    expect(answer.status).toBe(400);
    const [entry] = await t.controls.requests();
    expect(entry!.body).toBe(body.slice(0, 2_048));
  });

  it('keeps no journal with journalSize 0', async () => {
    const t = await mock({ journalSize: 0 });
    await create(t);
    expect((await call(t, 'GET', '/__admin/requests')).body.data.items).toEqual([]);
  });
});
