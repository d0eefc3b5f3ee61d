import { createEngine } from '@eggapi/mock-engine';
import { GenerateRequestSchema } from '@eggapi/contracts';
import { describe, expect, it } from 'vitest';
import { resolveOptions, type MockServerOptions, type WebhookSender } from '../src/index.js';

const KEY = 'sk_test_eggapi';
const BASE = 'http://mock.test';
const request = (webhook = false) =>
  GenerateRequestSchema.parse({
    model: 'nanobanana',
    prompt: 'A red fox',
    ...(webhook ? { webhook_url: 'https://receiver.test/hook' } : {}),
  });

/** An engine whose webhook receiver answers only when the test says so. */
function engineWithHeldReceiver(options: MockServerOptions = {}) {
  const held: { url: string; answer(status: number): void }[] = [];
  const arrivals: (() => void)[] = [];
  const sender: WebhookSender = ({ url, signal }) =>
    new Promise((resolve, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      held.push({ url, answer: (status) => resolve({ status }) });
      arrivals.splice(0).forEach((notify) => notify());
    });
  const errors: unknown[] = [];
  const engine = createEngine(resolveOptions({ timing: 'instant', ...options }), {
    sign: () => ({}),
    sender,
    onError: (error) => errors.push(error),
  });
  const arrived = (count: number) =>
    new Promise<void>((resolve) => {
      const check = () => (held.length >= count ? resolve() : arrivals.push(check));
      check();
    });
  const attempted = () =>
    new Promise<void>((resolve) => {
      const off = engine.on((event) => {
        if (event.type === 'delivery.attempted') {
          off();
          resolve();
        }
      });
    });
  /** Creates a task with a webhook and resolves once its first attempt is held by the receiver. */
  const firstAttemptHeld = async () => {
    const { task } = await engine.createTask({
      apiKey: KEY,
      request: request(true),
      baseUrl: BASE,
    });
    await engine.getTask(KEY, task.id, BASE);
    await arrived(1);
    return task;
  };
  return { engine, held, arrived, attempted, errors, firstAttemptHeld };
}

describe('the engine under concurrent calls', () => {
  it('creates one task for two concurrent requests with the same Idempotency-Key', async () => {
    const { engine } = engineWithHeldReceiver();
    const create = () =>
      engine.createTask({ apiKey: KEY, request: request(), baseUrl: BASE, idempotencyKey: 'same' });
    const results = await Promise.allSettled([create(), create()]);
    const created = results.filter((r) => r.status === 'fulfilled' && !r.value.replayed);
    expect(created).toHaveLength(1);
    expect((await engine.listTasks(KEY, { page: 1, per_page: 20 }, BASE)).pagination.total).toBe(1);
    await engine.shutdown(0);
  });

  it('refuses to redeliver a delivery still being attempted (409 CONFLICT), allows it after', async () => {
    const { engine, held, arrived, attempted, firstAttemptHeld } = engineWithHeldReceiver();
    const task = await firstAttemptHeld();
    const [delivery] = await engine.deliveries({ task_id: task.id });
    await expect(engine.redeliver(delivery!.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    const done = attempted();
    held[0]!.answer(200);
    await done;
    await engine.redeliver(delivery!.id);
    await engine.deliveries();
    await arrived(2);
    held[1]!.answer(200);
    await engine.shutdown(1_000);
    expect((await engine.delivery(delivery!.id)).attempts.map((a) => a.status)).toEqual([200, 200]);
  });

  it('drops the answer of an attempt in flight during reset (no retry, no event)', async () => {
    const { engine, held, firstAttemptHeld } = engineWithHeldReceiver();
    await firstAttemptHeld();
    await engine.reset();
    const events: string[] = [];
    engine.on((event) => events.push(event.type));
    held[0]!.answer(500);
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual([]);
    expect(await engine.deliveries()).toEqual([]);
    expect(await engine.shutdown(0)).toEqual({ unendedTasks: [], undeliveredWebhooks: [] });
  });

  it('records no attempt for deliveries still waiting for a slot when it shuts down', async () => {
    const { engine, held, arrived } = engineWithHeldReceiver({ webhooks: { concurrency: 1 } });
    for (let i = 0; i < 3; i++) {
      await engine.createTask({ apiKey: KEY, request: request(true), baseUrl: BASE });
    }
    await engine.deliveries();
    await arrived(1);
    const report = await engine.shutdown(0);
    const deliveries = await engine.deliveries();
    expect(held).toHaveLength(1);
    expect(deliveries.flatMap((d) => d.attempts)).toHaveLength(1);
    expect(report.undeliveredWebhooks).toHaveLength(3);
  });

  it('hands a listener that throws to onError; the work goes on', async () => {
    const { engine, errors } = engineWithHeldReceiver();
    engine.on(() => {
      throw new Error('listener broke');
    });
    const { task } = await engine.createTask({ apiKey: KEY, request: request(), baseUrl: BASE });
    expect((await engine.getTask(KEY, task.id, BASE)).status).toBe('completed');
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors[0]).toEqual(new Error('listener broke'));
    await engine.shutdown(0);
  });

  it('refuses a grace period a timer cannot hold', async () => {
    const { engine } = engineWithHeldReceiver();
    await expect(engine.shutdown(2 ** 31)).rejects.toThrow('graceMs must be a whole number');
    await expect(engine.shutdown(Number.NaN)).rejects.toThrow('graceMs must be a whole number');
    await engine.shutdown(0);
  });
});
