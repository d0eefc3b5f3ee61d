import { describe, expect, it, vi } from 'vitest';
import { call, createTask, ok, startInstance, useRedisServer, SLOW, type Page } from './support.js';

const SUITE = 'the multi-instance shared-state suite';

const redis = useRedisServer(SUITE);

describe.skipIf(!redis.available)(SUITE, () => {
  it('says in the banner which store it uses, and the timing shared on the prefix', async () => {
    const prefix = redis.prefix('banner');
    const a = await startInstance('A', redis.url, prefix, ['--timing', 'fast']);
    const b = await startInstance('B', redis.url, prefix, ['--timing', 'realistic']);
    for (const instance of [a, b]) {
      expect(instance.output()).toMatch(
        new RegExp(`Store: +redis ${redis.url} \\(prefix ${prefix}; reachable, [\\d.]+ ms\\)`),
      );
    }
    expect(a.output()).toMatch(/Timing: +fast \(shared on this prefix\)\n/);
    expect(b.output()).toContain(
      "Timing:         fast (shared on this prefix; this instance's --timing realistic does not apply",
    );
  });

  it('answers on B what was created on A; a reset on B forgets it, and only on its own prefix', async () => {
    const prefix = redis.prefix('shared');
    const other = redis.prefix('other');
    const [a, b, c] = await Promise.all([
      startInstance('A', redis.url, prefix),
      startInstance('B', redis.url, prefix),
      startInstance('C (other prefix)', redis.url, other),
    ]);

    const first = await createTask(a, { prompt: 'first, on A' });
    const second = await createTask(a, { prompt: 'second, on A', num_outputs: 2 });
    const elsewhere = await createTask(c, { prompt: 'on the other prefix' });

    // B reads A's tasks: each one, and the list newest first.
    const read = await ok(b, 'GET', `/v1/tasks/${first}`);
    expect(read).toMatchObject({ id: first, status: 'completed' });
    expect(read.output.urls).toEqual([`${b.url}/images/${first}/0.png`]);
    const list = await ok(b, 'GET', '/v1/tasks');
    expect(list.items.map((task: { id: string }) => task.id)).toEqual([second, first]);
    expect(list.pagination.total).toBe(2);

    // Usage (billed when the tasks ended) is the same on B as on A.
    const usage = await ok(b, 'GET', '/v1/usage');
    expect(usage.items.map((u: { task_id: string }) => u.task_id).sort()).toEqual(
      [first, second].sort(),
    );
    expect(usage.items.map((u: { quantity: number }) => u.quantity).sort()).toEqual([1, 2]);
    expect(await ok(a, 'GET', '/v1/usage')).toEqual(usage);
    // The other prefix sees none of it.
    expect((await ok(c, 'GET', '/v1/tasks')).items.map((t: { id: string }) => t.id)).toEqual([
      elsewhere,
    ]);

    // A balance set through A is B's too.
    await ok(a, 'PATCH', '/__admin/config', { balances: { sk_test_eggapi: 55_000 } });
    expect((await ok(b, 'GET', '/__admin/config')).balances).toEqual({ 'sk_t…ggapi': 55_000 });

    // Reset on B: A forgets its own tasks, usage and balances; the other prefix keeps all.
    expect(await ok(b, 'POST', '/__admin/reset')).toEqual({ reset: true });
    expect((await call(a, 'GET', `/v1/tasks/${first}`)).status).toBe(404);
    expect((await ok(a, 'GET', '/v1/tasks')).pagination.total).toBe(0);
    expect((await ok(a, 'GET', '/v1/usage')).pagination.total).toBe(0);
    expect((await ok(a, 'GET', '/__admin/config')).balances).toEqual({});
    expect(await ok(c, 'GET', `/v1/tasks/${elsewhere}`)).toMatchObject({
      id: elsewhere,
      status: 'completed',
    });
    expect(
      (await ok(c, 'GET', '/v1/usage')).items.map((u: { task_id: string }) => u.task_id),
    ).toEqual([elsewhere]);

    // After the reset, both instances keep working on the one state.
    const after = await createTask(b);
    expect(await ok(a, 'GET', `/v1/tasks/${after}`)).toMatchObject({ id: after });
  });

  it('runs planned work of one prefix unharmed by a reset of another on the same Redis', async () => {
    const [a, c] = await Promise.all([
      startInstance('A', redis.url, redis.prefix('reset')),
      startInstance('C (other prefix)', redis.url, redis.prefix('kept')),
    ]);
    // C plans a task end a little later; A's reset drains A's queue only.
    await ok(c, 'PATCH', '/__admin/config', { timing: { queueMs: 0, processingMs: 1_200 } });
    await ok(a, 'PATCH', '/__admin/config', { timing: { queueMs: 0, processingMs: 1_200 } });
    const kept = await createTask(c);
    const dropped = await createTask(a);
    await ok(a, 'POST', '/__admin/reset');
    expect((await call(a, 'GET', `/v1/tasks/${dropped}`)).status).toBe(404);
    // Not polled: the usage record appears when C's queued job ends the task.
    const usage = await vi.waitFor(async () => {
      const page = await ok<Page<{ task_id: string }>>(c, 'GET', '/v1/usage');
      expect(
        page.pagination.total,
        'the task of the other prefix ended by its job',
      ).toBeGreaterThan(0);
      return page;
    }, SLOW);
    expect(usage.items.map((u) => u.task_id)).toEqual([kept]);
  });
});
