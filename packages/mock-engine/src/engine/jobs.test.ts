import { GenerateRequestSchema } from '@eggapi/contracts';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../create-engine.js';
import { resolveEngineOptions } from '../options.js';
import type { WebhookSender } from './deliveries.js';

const KEY = 'sk_test_eggapi';
const BASE = 'http://mock.test';

/** An engine whose webhook receiver holds every attempt until the test answers it. */
function engineWithHeldReceiver() {
  const held: ((status: number) => void)[] = [];
  let arrived: () => void = () => {};
  const firstArrival = new Promise<void>((resolve) => (arrived = resolve));
  const sender: WebhookSender = ({ signal }) =>
    new Promise((resolve, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      held.push((status) => resolve({ status }));
      arrived();
    });
  const engine = createEngine(resolveEngineOptions({ timing: 'instant' }), {
    sign: () => ({}),
    sender,
  });
  return { engine, held, firstArrival };
}

/** `promise`'s value, or a failure if it takes longer than a receiver would. */
const prompt = <T>(promise: Promise<T>) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('waited for the webhook receiver')), 500),
    ),
  ]);

describe("the engine's jobs", () => {
  it('answers every read while a webhook receiver holds the attempt of an ended task', async () => {
    const { engine, held, firstArrival } = engineWithHeldReceiver();
    const request = GenerateRequestSchema.parse({
      model: 'nanobanana',
      prompt: 'A red fox',
      webhook_url: 'https://receiver.test/hook',
    });
    const { task } = await engine.createTask({ apiKey: KEY, request, baseUrl: BASE });
    await engine.deliveries();
    await firstArrival;

    expect((await prompt(engine.getTask(KEY, task.id, BASE))).status).toBe('completed');
    expect((await prompt(engine.listUsage(KEY, { page: 1, per_page: 20 }))).items).toHaveLength(1);
    const [delivery] = await prompt(engine.deliveries({ task_id: task.id }));
    expect(delivery!.attempts).toHaveLength(1);
    expect((await engine.health()).webhooks_in_flight).toBe(1);

    held[0]!(200);
    await engine.runDue();
    expect((await engine.delivery(delivery!.id)).state).toBe('succeeded');
    await engine.shutdown(0);
  });

  it('applies task ends that fall due by a moved clock before a read, and their deliveries after runDue', async () => {
    let now = Date.parse('2026-05-08T10:30:00.000Z');
    const statuses: number[] = [];
    const engine = createEngine(
      resolveEngineOptions({
        timing: { queueMs: 1_000, processingMs: 1_000 },
        now: () => now,
      }),
      { sign: () => ({}), sender: () => Promise.resolve((statuses.push(200), { status: 200 })) },
    );
    const request = GenerateRequestSchema.parse({
      model: 'nanobanana',
      prompt: 'A red fox',
      webhook_url: 'https://receiver.test/hook',
    });
    await engine.createTask({ apiKey: KEY, request, baseUrl: BASE });
    now += 2_000;
    // No timer has fired by this clock: the read applies the end (its usage) itself.
    expect((await engine.listUsage(KEY, { page: 1, per_page: 20 })).items).toHaveLength(1);
    await engine.runDue();
    expect(statuses).toEqual([200]);
    expect((await engine.deliveries())[0]).toMatchObject({ state: 'succeeded' });
    await engine.shutdown(0);
  });
});
