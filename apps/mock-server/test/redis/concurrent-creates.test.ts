import { PRICE_PER_IMAGE_MICROS } from '@eggapi/contracts';
import { describe, expect, it } from 'vitest';
import {
  call,
  createTask,
  ok,
  startInstance,
  useRedisServer,
  type Instance,
  type Page,
} from './support.js';

const SUITE = 'the multi-instance concurrent-creates suite';
const TASKS = 1_000;
const IN_FLIGHT = 50;
const SPARE = 3; // the balance left once every task is paid

/** Every item of a paginated list, 100 a page. */
async function everything<T>(instance: Instance, path: string): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const data = await ok<Page<T>>(instance, 'GET', `${path}?per_page=100&page=${page}`);
    items.push(...data.items);
    if (page >= data.pagination.total_pages) return items;
  }
}

const redis = useRedisServer(SUITE);

describe.skipIf(!redis.available)(SUITE, () => {
  it(`ends ${TASKS} concurrent creates over two instances as ${TASKS} tasks, each billed once`, async () => {
    const prefix = redis.prefix('creates');
    const [a, b] = await Promise.all([
      startInstance('A', redis.url, prefix),
      startInstance('B', redis.url, prefix),
    ]);
    const instances = [a, b];
    const start = (TASKS + SPARE) * PRICE_PER_IMAGE_MICROS;
    // Ends a little later than created, so that the ends run as queued jobs beside the creates.
    await ok(a, 'PATCH', '/__admin/config', {
      balances: { sk_test_eggapi: start },
      timing: { queueMs: 0, processingMs: 200 },
    });

    const ids: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < TASKS) {
          const n = next++;
          ids.push(await createTask(instances[n % 2]!, { prompt: `task ${n}` }));
        }
      }),
    );
    expect(new Set(ids).size).toBe(TASKS);

    // The balance paid for each create exactly once, whichever instance took it.
    const balances = async (instance: Instance) =>
      (await ok(instance, 'GET', '/__admin/config')).balances as Record<string, number>;
    expect(await balances(b)).toEqual({ 'sk_t…ggapi': SPARE * PRICE_PER_IMAGE_MICROS });

    // Not polled: every usage record comes from a queued end-task job.
    await expect
      .poll(
        async () => (await ok<Page<unknown>>(b, 'GET', '/v1/usage?per_page=1')).pagination.total,
        {
          timeout: 30_000,
          interval: 100,
          message: `${TASKS} usage records`,
        },
      )
      .toBe(TASKS);
    const usage = await everything<{ task_id: string }>(a, '/v1/usage');
    expect(usage.map((u) => u.task_id).sort()).toEqual([...ids].sort());

    // The lists (which settle what they show) find the same tasks, all completed; ending them
    // twice would have billed twice.
    const tasks = await everything<{ id: string; status: string }>(b, '/v1/tasks');
    expect(tasks.map((t) => t.id).sort()).toEqual([...ids].sort());
    expect(tasks.filter((t) => t.status !== 'completed')).toEqual([]);
    expect((await ok(a, 'GET', '/v1/usage?per_page=1')).pagination.total).toBe(TASKS);
    expect(await balances(a)).toEqual({ 'sk_t…ggapi': SPARE * PRICE_PER_IMAGE_MICROS });

    // What is left pays for SPARE more, and not one more.
    for (let n = 0; n < SPARE; n++) await createTask(instances[n % 2]!);
    const refused = await call(b, 'POST', '/v1/generate', { model: 'nanobanana', prompt: 'x' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('INSUFFICIENT_BALANCE');
  });
});
