// @ts-check
// The shared preamble of every suite that needs Redis: one private redis-server per test file
// (started before its first test, stopped after its last), the skip-locally / fail-under-CI rule
// of `serviceAvailable`, and a fresh key prefix wherever a test needs its own state.
import { afterAll, beforeAll } from 'vitest';
import { serviceAvailable, startRedisServer } from './services.mjs';

let prefixes = 0;

/**
 * Registers `beforeAll`/`afterAll` that start and stop one private redis-server for the calling
 * file. Call it at the top of a test file (or a `describe`) and skip the suite when `available`
 * is false: locally a missing `redis-server` skips loudly; under `CI=true` it throws.
 * @param {string} suite what needs Redis, for the skip notice
 * @param {{ appendonly?: boolean }} [options] passed to `startRedisServer`
 * @returns {import('./redis.d.mts').RedisFixture}
 */
export function useRedisServer(suite, options = {}) {
  const available = serviceAvailable('redis-server', 'redis-server', suite);
  /** @type {import('./services.d.mts').RedisServer | undefined} */
  let server;
  beforeAll(async () => {
    if (available) server = await startRedisServer(options);
  });
  afterAll(async () => {
    await server?.close();
    server = undefined;
  });
  const started = () => {
    if (!server) throw new Error(`${suite}: the Redis server is not running (outside a test?)`);
    return server;
  };
  return {
    available,
    get server() {
      return started();
    },
    get url() {
      return started().url;
    },
    prefix: (name = 'test') => `${name}-${process.pid}-${++prefixes}`,
  };
}
