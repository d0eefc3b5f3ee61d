import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../adapters/memory-store.js';
import { createEngine } from '../create-engine.js';
import { resolveEngineOptions } from '../options.js';
import type { MockStore, RedisHealth } from './ports/store.js';
import { storeInitOf } from './store-init.js';

const options = resolveEngineOptions({ timing: 'instant' });

/** A memory store that reports itself as a Redis store, reachable or not. */
function storeSaying(redis: RedisHealth): MockStore {
  return {
    ...createMemoryStore((salt) => storeInitOf(options, salt)),
    health: () => Promise.resolve({ store: 'redis', reachable: redis.reachable, redis }),
  };
}

describe('engine health (GET /__admin/health)', () => {
  it('answers what the memory store says: ok, with no redis member', async () => {
    const engine = createEngine(options);
    // Compared as JSON: the member order is what the admin API answers.
    expect(JSON.stringify(await engine.health())).toBe(
      JSON.stringify({
        status: 'ok',
        store: 'memory',
        tasks: 0,
        webhooks_in_flight: 0,
        webhooks_queued: 0,
      }),
    );
    await engine.shutdown(0);
  });

  it("shows a Redis store's connection under `redis`, and is unavailable while it is unreachable", async () => {
    const up: RedisHealth = { url: 'redis://r', prefix: 'p', reachable: true, latency_ms: 1 };
    const reachable = createEngine(options, { store: storeSaying(up) });
    expect(JSON.stringify(await reachable.health())).toBe(
      JSON.stringify({
        status: 'ok',
        store: 'redis',
        redis: up,
        tasks: 0,
        webhooks_in_flight: 0,
        webhooks_queued: 0,
      }),
    );
    await reachable.shutdown(0);

    const down: RedisHealth = {
      url: 'redis://r',
      prefix: 'p',
      reachable: false,
      error: 'ECONNREFUSED',
    };
    const unreachable = createEngine(options, { store: storeSaying(down) });
    expect(await unreachable.health()).toEqual({
      status: 'unavailable',
      store: 'redis',
      redis: down,
      tasks: null,
      webhooks_in_flight: 0,
      webhooks_queued: 0,
    });
    await unreachable.shutdown(0);
  });
});
