import { describe, expect, it } from 'vitest';
import { MAX_DURATION_MS, startMockServer, type MockServerOptions } from '../src/index.js';
import { parseCli } from '../src/cli/options.js';
import { call, createTask, mockServer, validRequest } from './support/harness.js';
import { startHeldReceiver } from './support/receiver.js';

const TOO_LONG = 3_000_000_000;

describe('bounded resources', () => {
  it.each([
    ['webhooks.timeoutMs', { webhooks: { timeoutMs: TOO_LONG } }],
    ['webhooks.backoffMaxMs', { webhooks: { backoffMaxMs: TOO_LONG } }],
    ['shutdownGraceMs', { shutdownGraceMs: TOO_LONG }],
    ['timing.queueMs', { timing: { queueMs: TOO_LONG, processingMs: 0 } }],
  ] as [string, MockServerOptions][])(
    'refuses %s past what a timer can hold, naming the option and its range',
    async (name, options) => {
      await expect(startMockServer(options)).rejects.toThrow(
        new RegExp(
          `${name.replace('.', '\\.')}: must be a whole number of milliseconds from \\d+ to ${MAX_DURATION_MS}`,
        ),
      );
    },
  );

  it('refuses such a duration through PATCH /__admin/config and keeps the old one', async () => {
    const server = await mockServer();
    const answer = await call(server, 'PATCH', '/__admin/config', {
      auth: null,
      body: { webhooks: { timeoutMs: TOO_LONG } },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details[0].path).toBe('webhooks.timeoutMs');
    expect((await server.engine.config()).webhooks.timeoutMs).toBe(30_000);
  });

  it('refuses it on the command line too', () => {
    expect(() => parseCli(['--shutdown-grace', String(TOO_LONG)], {}, false)).toThrow(
      `--shutdown-grace must be an integer from 0 to ${MAX_DURATION_MS}`,
    );
    expect(parseCli(['--webhook-concurrency', '8'], {}, false).options.webhooks).toEqual({
      concurrency: 8,
    });
    expect(parseCli([], { EGGAPI_SHUTDOWN_GRACE_MS: '2500' }, false).options.shutdownGraceMs).toBe(
      2_500,
    );
  });

  it('keeps at most `webhooks.concurrency` attempts in flight; the others wait in order, none dropped', async () => {
    const hook = await startHeldReceiver();
    try {
      const server = await mockServer({ webhooks: { concurrency: 3 } });
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        ids.push(
          await createTask(server, { ...validRequest, prompt: `task ${i}`, webhook_url: hook.url }),
        );
      }
      await hook.arrived(3);
      await server.engine.deliveries(); // every task has ended and queued its delivery
      // With Redis, this instance's worker takes the queued jobs a moment later.
      await expect
        .poll(() => server.engine.health())
        .toMatchObject({
          webhooks_in_flight: 3,
          webhooks_queued: 9,
        });
      expect(hook.held).toHaveLength(3);
      // Each answer frees one slot for the next delivery in line.
      for (let answered = 0; answered < 12; answered++) {
        hook.held[answered]!.answer();
        await hook.arrived(Math.min(12, answered + 4));
      }
      await Promise.all(
        ids.map((id) => server.waitForDeliveries(id, (d) => d[0]?.state === 'succeeded')),
      );
      const arrivedTasks = hook.held.map(
        (h) => (JSON.parse(h.body) as { task_id: string }).task_id,
      );
      expect(arrivedTasks).toEqual(ids);
      expect(await server.engine.deliveries()).toHaveLength(12);
    } finally {
      await hook.close();
    }
  });
});
