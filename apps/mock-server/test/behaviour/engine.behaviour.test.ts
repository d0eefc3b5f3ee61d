import { GenerateRequestSchema, TaskSchema } from '@eggapi/contracts';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EngineError, type MockServerOptions } from '../../src/index.js';
import { closeEngineFactories, ENGINE_FACTORIES, type EngineUnderTest } from './engines.js';

const KEY = 'sk_test_eggapi';
const BASE = 'http://mock.test';
const request = (overrides: Record<string, unknown> = {}) =>
  GenerateRequestSchema.parse({ model: 'nanobanana', prompt: 'A red fox', ...overrides });

afterAll(closeEngineFactories);

describe.each(ENGINE_FACTORIES)('the engine (%s)', (_name, make) => {
  const running: EngineUnderTest[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((t) => t.close()));
  });
  const start = async (options: MockServerOptions = {}) => {
    const t = await make(options);
    running.push(t);
    return t;
  };
  const create = async (
    t: EngineUnderTest,
    overrides = {},
    extra: { scenario?: string; idempotencyKey?: string; apiKey?: string } = {},
  ) =>
    (
      await t.engine.createTask({
        apiKey: KEY,
        request: request(overrides),
        baseUrl: BASE,
        ...extra,
      })
    ).task;
  const code = (promise: Promise<unknown>) =>
    promise.then(
      () => 'resolved',
      (error: unknown) => (error instanceof EngineError ? error.code : String(error)),
    );

  it('creates a task at pending and moves it through processing to completed on the clock', async () => {
    const t = await start({ timing: { queueMs: 1_000, processingMs: 4_000, jitter: 0 } });
    const task = await create(t);
    expect(TaskSchema.parse(task)).toMatchObject({ status: 'pending', cost: '$0.00' });
    t.clock.advance(1_000);
    expect((await t.engine.getTask(KEY, task.id, BASE)).status).toBe('processing');
    t.clock.advance(4_000);
    const done = await t.engine.getTask(KEY, task.id, BASE);
    expect(done).toMatchObject({
      status: 'completed',
      cost: '$0.0100',
      started_at: '2026-05-08T10:30:01Z',
      completed_at: '2026-05-08T10:30:05Z',
      output: { url: `${BASE}/images/${task.id}/0.png` },
    });
  });

  it('answers the creation at pending even in instant timing, and has ended it by the next read', async () => {
    const t = await start({ timing: 'instant' });
    const task = await create(t);
    expect(task.status).toBe('pending');
    expect((await t.engine.getTask(KEY, task.id, BASE)).status).toBe('completed');
  });

  it("hides another key's task and unknown ids as NOT_FOUND", async () => {
    const t = await start({ apiKeys: [KEY, 'sk_other_key_1'] });
    const task = await create(t);
    expect(await code(t.engine.getTask('sk_other_key_1', task.id, BASE))).toBe('NOT_FOUND');
    expect(await code(t.engine.getTask(KEY, 'gen_missing', BASE))).toBe('NOT_FOUND');
  });

  it('authenticates Bearer keys as an owner id (a keyed hash, never the key) and names what is wrong', async () => {
    const t = await start();
    const owner = await t.engine.authenticate(`Bearer ${KEY}`);
    expect(owner).toMatch(/^own_[0-9a-f]{32}$/);
    expect(owner).not.toContain(KEY);
    await expect(t.engine.authenticate(`bearer   ${KEY}  `)).resolves.toBe(owner);
    // The owner id and the key name the same tasks.
    const task = await create(t);
    expect((await t.engine.getTask(owner, task.id, BASE)).id).toBe(task.id);
    for (const header of [undefined, '', KEY, 'Bearer sk_unknown']) {
      expect(await code(t.engine.authenticate(header))).toBe('UNAUTHORIZED');
    }
  });

  it('lists tasks newest first with pagination, and usage only for completed tasks', async () => {
    const t = await start({ timing: 'instant' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await create(t, { prompt: `task ${i}` })).id);
    ids.push((await create(t, {}, { scenario: 'fail' })).id);
    const page = await t.engine.listTasks(KEY, { page: 1, per_page: 4 }, BASE);
    expect(page.items.map((task) => task.id)).toEqual(ids.slice().reverse().slice(0, 4));
    expect(page.pagination).toEqual({ page: 1, per_page: 4, total: 6, total_pages: 2 });
    const usage = await t.engine.listUsage(KEY, { page: 1, per_page: 20 });
    expect(usage.items.map((u) => u.task_id)).toEqual(ids.slice(0, 5).reverse());
  });

  it("browses every key's tasks newest first, by status (as reads settle it) and key fingerprint", async () => {
    const other = 'sk_other_key_1';
    const t = await start({
      apiKeys: [KEY, other],
      timing: { queueMs: 1_000, processingMs: 4_000, jitter: 0 },
    });
    const t1 = await create(t, { prompt: 'one' });
    const t2 = await create(t, { prompt: 'two' }, { apiKey: other });
    const t3 = await create(t, { prompt: 'three' }, { scenario: 'fail="boom"' });
    const t4 = await create(t, { prompt: 'four' }, { scenario: 'polls=2' });
    const ids = async (query: Record<string, unknown>) => {
      const page = await t.engine.browseTasks(query, BASE);
      return [page.items.map((task) => task.id), page.pagination.total];
    };
    expect(await ids({})).toEqual([[t4.id, t3.id, t2.id, t1.id], 4]);
    expect(await ids({ page: 2, per_page: 3 })).toEqual([[t1.id], 4]);
    t.clock.advance(1_000);
    expect(await ids({ status: 'processing' })).toEqual([[t3.id, t2.id, t1.id], 3]);
    expect(await ids({ status: 'pending', owner: '' })).toEqual([[t4.id], 1]);
    expect(await ids({ owner: 'sk_o…key_1' })).toEqual([[t2.id], 1]);
    // Due but not yet ended by a job (a shared queue runs late): filtered as reads show them.
    t.clock.advance(4_000);
    expect(await ids({ status: 'completed' })).toEqual([[t2.id, t1.id], 2]);
    expect(await ids({ status: 'failed', owner: 'sk_t…ggapi' })).toEqual([[t3.id], 1]);
    expect(await ids({ status: 'completed', owner: 'sk_t…ggapi', per_page: 1 })).toEqual([
      [t1.id],
      1,
    ]);
    expect(await ids({ owner: 'sk_n…known' })).toEqual([[], 0]);
    const [shown] = (await t.engine.browseTasks({ status: 'failed' }, BASE)).items;
    expect(shown).toMatchObject({
      id: t3.id,
      status: 'failed',
      error: 'boom',
      owner: 'sk_t…ggapi',
      request: { prompt: 'three', model: 'nanobanana' },
      timeline: {
        created_at: '2026-05-08T10:30:00.000Z',
        starts_at: '2026-05-08T10:30:01.000Z',
        ends_at: '2026-05-08T10:30:05.000Z',
      },
    });
    expect((await t.engine.task(t4.id, BASE)).timeline).toEqual({
      created_at: '2026-05-08T10:30:00.000Z',
      starts_at: null,
      ends_at: null,
    });
    expect(await code(t.engine.browseTasks({ status: 'done' }, BASE))).toBe('VALIDATION_ERROR');
    expect(await code(t.engine.browseTasks({ per_page: 101 }, BASE))).toBe('VALIDATION_ERROR');
    expect(t.engine.keyFingerprints()).toEqual(['sk_t…ggapi', 'sk_o…key_1']);
  });

  it('reserves the price on a balance, refuses what it cannot pay, refunds failures', async () => {
    const t = await start({ timing: 'instant', balances: { [KEY]: 20_000 } });
    await create(t);
    expect(await code(create(t, { num_outputs: 2 }))).toBe('INSUFFICIENT_BALANCE');
    const failed = await create(t, {}, { scenario: 'fail' });
    await t.engine.getTask(KEY, failed.id, BASE);
    expect((await t.engine.config()).balances['sk_t…ggapi']).toBe(10_000);
  });

  it('replays an idempotent create and refuses the key with another body', async () => {
    const t = await start();
    const first = await t.engine.createTask({
      apiKey: KEY,
      request: request(),
      baseUrl: BASE,
      idempotencyKey: 'k1',
    });
    const again = await t.engine.createTask({
      apiKey: KEY,
      request: request(),
      baseUrl: BASE,
      idempotencyKey: 'k1',
    });
    expect(again).toEqual({ task: first.task, replayed: true });
    expect(
      await code(
        t.engine.createTask({
          apiKey: KEY,
          request: request({ prompt: 'other' }),
          baseUrl: BASE,
          idempotencyKey: 'k1',
        }),
      ),
    ).toBe('IDEMPOTENCY_CONFLICT');
    expect((await t.engine.listTasks(KEY, { page: 1, per_page: 20 }, BASE)).pagination.total).toBe(
      1,
    );
  });

  it('ends a polls scenario on the n-th poll, counting only polls', async () => {
    const t = await start();
    const task = await create(t, {}, { scenario: 'polls=3; fail="boom"' });
    expect((await t.engine.getTask(KEY, task.id, BASE)).status).toBe('processing');
    await t.engine.listTasks(KEY, { page: 1, per_page: 20 }, BASE);
    expect((await t.engine.getTask(KEY, task.id, BASE)).status).toBe('processing');
    expect(await t.engine.getTask(KEY, task.id, BASE)).toMatchObject({
      status: 'failed',
      error: 'boom',
    });
  });

  it('refuses a bad scenario naming the header or the prompt marker', async () => {
    const t = await start();
    await expect(create(t, {}, { scenario: 'explode' })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ path: 'headers.x-eggapi-mock-scenario' }],
    });
    await expect(create(t, { prompt: 'x [[mock: delay=-1]]' })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ path: 'prompt' }],
    });
  });

  it('injects header faults for the first n identical requests, and queued faults by route', async () => {
    const t = await start();
    const req = { method: 'GET', path: '/v1/tasks', apiKey: KEY, faultHeader: '503; times=2' };
    expect(await t.engine.headerFault(req)).toMatchObject({ kind: '503' });
    expect(await t.engine.headerFault(req)).toMatchObject({ kind: '503' });
    expect(await t.engine.headerFault(req)).toBeUndefined();
    const used: unknown[] = [];
    t.engine.on((event) => event.type === 'fault.used' && used.push(event));
    await t.engine.injectFault({ kind: '429', route: 'POST /v1/generate', times: 1 });
    expect(await t.engine.queuedFault({ method: 'GET', path: '/v1/tasks' })).toBeUndefined();
    expect(await t.engine.queuedFault({ method: 'POST', path: '/v1/generate' })).toMatchObject({
      kind: '429',
    });
    expect(await t.engine.faults()).toEqual([]);
    expect(used).toEqual([{ type: 'fault.used', kind: '429', remaining: 0 }]);
    expect(await code(t.engine.injectFault({ kind: '418' as never }))).toBe('VALIDATION_ERROR');
  });

  it('limits each client to its requests per second, with the seconds to wait', async () => {
    const t = await start({ rateLimit: 2 });
    await t.engine.checkRateLimit('10.0.0.1');
    await t.engine.checkRateLimit('10.0.0.1');
    await expect(t.engine.checkRateLimit('10.0.0.1')).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: 1,
    });
    await t.engine.checkRateLimit('10.0.0.2');
    t.clock.advance(1_000);
    await t.engine.checkRateLimit('10.0.0.1');
  });

  it('validates configuration changes and applies timing to new tasks only', async () => {
    const t = await start({ timing: 'instant' });
    expect(await code(t.engine.configure({ webhooks: { timeoutMs: 2 ** 31 } }))).toBe(
      'VALIDATION_ERROR',
    );
    expect(await code(t.engine.configure({ nonsense: 1 }))).toBe('VALIDATION_ERROR');
    const before = await create(t);
    await t.engine.configure({ timing: { queueMs: 500, processingMs: 500 } });
    const after = await create(t);
    expect((await t.engine.getTask(KEY, before.id, BASE)).status).toBe('completed');
    expect((await t.engine.getTask(KEY, after.id, BASE)).status).toBe('pending');
  });

  it('ends a task now through the admin operation, once', async () => {
    const t = await start({ timing: 'realistic' });
    const task = await create(t);
    expect(await t.engine.endTask(task.id, { fail: 'stopped' }, BASE)).toMatchObject({
      status: 'failed',
      error: 'stopped',
    });
    expect(await code(t.engine.endTask(task.id, {}, BASE))).toBe('CONFLICT');
    expect((await t.engine.task(task.id, BASE)).owner).toBe('sk_t…ggapi');
  });

  it('delivers a signed webhook once per ended task, retries with backoff, and redelivers', async () => {
    const t = await start({
      timing: 'instant',
      webhookSecret: 'whsec_behaviour',
      webhooks: { backoffBaseMs: 1_000, maxAttempts: 2 },
    });
    t.answers.push(500, 500);
    const task = await create(t, { webhook_url: 'https://receiver.test/hook' });
    const settled = (predicate: (n: number) => boolean) =>
      new Promise<void>((resolve) => {
        const off = t.engine.on((event) => {
          if (event.type === 'delivery.attempted' && predicate(t.sent.length)) {
            off();
            resolve();
          }
        });
      });
    const firstAttempt = settled((n) => n === 1);
    await t.engine.getTask(KEY, task.id, BASE);
    await firstAttempt;
    const [delivery] = await t.engine.deliveries({ task_id: task.id });
    expect(delivery).toMatchObject({ state: 'pending', owner: 'sk_t…ggapi' });
    expect(delivery!.next_attempt_at).toBe('2026-05-08T10:30:01.000Z');
    const secondAttempt = settled((n) => n === 2);
    t.clock.advance(1_000);
    await t.engine.deliveries();
    await secondAttempt;
    expect((await t.engine.deliveries({ task_id: task.id }))[0]!.state).toBe('failed');
    expect(t.sent.map((s) => s.body)).toEqual([delivery!.body, delivery!.body]);
    expect(t.sent[0]!.headers['X-EggAPI-Signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    const third = settled((n) => n === 3);
    await t.engine.redeliver(delivery!.id);
    await t.engine.deliveries();
    await third;
    expect((await t.engine.delivery(delivery!.id)).state).toBe('succeeded');
  });

  it('reset forgets tasks, deliveries and faults, and restores balances and settings', async () => {
    const t = await start({ timing: 'instant', balances: { [KEY]: 10_000 }, seed: 'same' });
    const first = await create(t);
    await t.engine.injectFault({ kind: '500' });
    await t.engine.configure({ rateLimit: 5 });
    await t.engine.reset();
    expect((await t.engine.listTasks(KEY, { page: 1, per_page: 20 }, BASE)).items).toEqual([]);
    expect(await t.engine.faults()).toEqual([]);
    expect(await t.engine.config()).toMatchObject({
      rateLimit: false,
      balances: { 'sk_t…ggapi': 10_000 },
    });
    // With a seed, a reset engine repeats the ids of a new one.
    expect((await create(t)).id).toBe(first.id);
  });

  it('reports what shutdown abandons', async () => {
    const t = await start({ timing: 'realistic' });
    const task = await create(t, {}, { scenario: 'polls=2' });
    expect(await t.engine.shutdown(0)).toEqual({
      unendedTasks: [task.id],
      undeliveredWebhooks: [],
    });
  });
});
