import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer } from '../../src/index.js';
import { createMemoryStore, type StoreInit } from '@eggapi/mock-engine/host';
import { createRedisStore } from '../../src/store/redis/redis-store.js';
import { HEADER_FAULT_COUNTS_KEPT } from '@eggapi/mock-engine/host';
import { useRedisServer } from './support.js';

const SUITE = 'the Redis keys-at-rest suite';
const SECRET_KEY = 'sk_live_do_not_store_me_42';

/** Every key name and value under `prefix`, as text. */
async function dump(redis: Redis, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', '1000');
    cursor = next;
    for (const key of keys) {
      out.push(key);
      const type = await redis.type(key);
      if (type === 'string') out.push((await redis.get(key)) ?? '');
      else if (type === 'hash') out.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'list') out.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === 'set') out.push(JSON.stringify(await redis.smembers(key)));
      else if (type === 'zset') out.push(JSON.stringify(await redis.zrange(key, '0', '-1')));
    }
  } while (cursor !== '0');
  return out;
}

const init = (): StoreInit => ({
  capacity: 100,
  journalSize: 100,
  balances: {},
  config: {
    timing: { queueMs: 0, processingMs: 0, jitter: 0 },
    rateLimit: false,
    webhooks: {
      timeoutMs: 1000,
      maxAttempts: 1,
      backoffBaseMs: 1,
      backoffMaxMs: 1,
      concurrency: 1,
    },
  },
});

const server = useRedisServer(SUITE);

describe.skipIf(!server.available)(SUITE, () => {
  let redis: Redis;
  beforeAll(() => void (redis = new Redis(server.url)));
  afterAll(() => redis?.disconnect());

  it('keeps no raw API key in key names or values: owners are keyed hashes with a per-prefix salt', async () => {
    const prefix = 'at-rest';
    const mock = await startMockServer({
      apiKeys: [SECRET_KEY],
      balances: { [SECRET_KEY]: 1_000_000 },
      redis: { url: server.url, prefix },
      timing: 'instant',
    });
    try {
      const headers = {
        authorization: `Bearer ${SECRET_KEY}`,
        'content-type': 'application/json',
        'idempotency-key': 'retry-1',
        'x-eggapi-mock-fault': '500; times=1',
      };
      const body = JSON.stringify({ model: 'nanobanana', prompt: 'A red fox' });
      expect(
        (await fetch(`${mock.url}/v1/generate`, { method: 'POST', headers, body })).status,
      ).toBe(500);
      const created = await fetch(`${mock.url}/v1/generate`, { method: 'POST', headers, body });
      expect(created.status).toBe(202);
      const { data } = (await created.json()) as { data: { id: string } };
      const read = await fetch(`${mock.url}/v1/tasks/${data.id}`, {
        headers: { authorization: headers.authorization },
      });
      expect(read.status).toBe(200);
      const config = await fetch(`${mock.url}/__admin/config`);
      expect(JSON.stringify(await config.json())).not.toContain(SECRET_KEY);

      const everything = await dump(redis, prefix);
      expect(everything.length).toBeGreaterThan(5);
      expect(everything.filter((text) => text.includes(SECRET_KEY))).toEqual([]);
      expect(everything.some((text) => /own_[0-9a-f]{32}/.test(text))).toBe(true);
      // The salt outlives a reset, so every instance keeps naming owners the same.
      const salt = await redis.get(`${prefix}:salt`);
      expect(salt).toMatch(/^[0-9a-f]{32}$/);
      await fetch(`${mock.url}/__admin/reset`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      });
      expect(await redis.get(`${prefix}:salt`)).toBe(salt);
    } finally {
      await mock.close({ abandon: true });
    }
  });

  it('counts header faults for at most HEADER_FAULT_COUNTS_KEPT request keys, oldest forgotten, in both stores', async () => {
    const stores = [await createRedisStore(redis, 'fault-cap', init), createMemoryStore(init)];
    const over = HEADER_FAULT_COUNTS_KEPT + 50;
    for (const store of stores) {
      for (let start = 0; start < over; start += 500) {
        await Promise.all(
          Array.from({ length: Math.min(500, over - start) }, (_, n) =>
            store.faults.countHeader(`key-${start + n}`),
          ),
        );
      }
      // The oldest was forgotten: it counts from 1 again; a recent one keeps its count.
      expect(await store.faults.countHeader('key-0')).toBe(1);
      expect(await store.faults.countHeader(`key-${over - 1}`)).toBe(2);
    }
    expect(await redis.hlen('fault-cap:state:fault-headers')).toBeLessThanOrEqual(
      HEADER_FAULT_COUNTS_KEPT,
    );
    expect(await redis.llen('fault-cap:state:fault-headers:order')).toBeLessThanOrEqual(
      HEADER_FAULT_COUNTS_KEPT,
    );
  });
});
