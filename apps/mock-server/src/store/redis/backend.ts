import { Redis, type RedisOptions } from 'ioredis';
import type { ResolvedOptions } from '../../config.js';
import { BullMQScheduler } from '../../schedule/bullmq.js';
import type { MemoryStoreInit } from '../memory.js';
import type { MockStore, RedisHealth } from '../types.js';
import { createRedisStore } from './redis-store.js';
import { messageOf, unavailableError } from './unavailable.js';

/** `startMockServer({ redis })`, resolved: see `MockServerOptions.redis`. */
export type RedisStoreOptions = NonNullable<ResolvedOptions['redis']>;
/**
 * Jobs an instance runs at once. Generous on purpose: webhook attempts in flight are limited by
 * `webhooks.concurrency` (which may change at run time), and the jobs waiting for a slot are
 * counted by health as queued, as in memory mode.
 */
const WORKER_CONCURRENCY = 256;
/** No API request waits on Redis longer than this. */
const COMMAND_TIMEOUT_MS = 2_000;

export interface RedisBackend {
  store: MockStore;
  scheduler: BullMQScheduler;
  health: () => Promise<RedisHealth>;
  /** Closes the connections (after the scheduler has stopped). */
  close: () => Promise<void>;
}

/**
 * Connects the Redis store and the BullMQ scheduler. Fails with a clear error when Redis cannot
 * be reached at start; afterwards, an unreachable Redis makes store calls fail fast as
 * SERVICE_UNAVAILABLE, and the connections come back by themselves.
 */
export async function connectRedis(
  options: RedisStoreOptions,
  init: MemoryStoreInit,
  runtime: { now: () => number; onError: (error: unknown) => void },
): Promise<RedisBackend> {
  const shown = redactUrl(options.url);
  let lastError: string | undefined;
  const connection: RedisOptions = {
    lazyConnect: true,
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: COMMAND_TIMEOUT_MS,
    retryStrategy: reconnectDelay,
  };
  const redis = new Redis(options.url, connection);
  redis.on('error', (error: Error) => (lastError = error.message));
  redis.on('ready', () => (lastError = undefined));
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error(`cannot reach Redis at ${shown}: ${messageOf(error)}`, { cause: error });
  }
  const store = unavailableWhenUnreachable(await createRedisStore(redis, options.prefix, init));
  const { host, port, username, password, db, tls } = redis.options;
  // BullMQ's own reconnect delay grows to 20 s: after an outage the queue would stay away (creates
  // failing, workers idle) long after the store is back. Its connections reconnect as the store's.
  const base = { host, port, username, password, db, tls, retryStrategy: reconnectDelay };
  const scheduler = new BullMQScheduler({
    queueConnection: { ...base, enableOfflineQueue: false, maxRetriesPerRequest: 1 },
    workerConnection: { ...base, maxRetriesPerRequest: null },
    prefix: options.prefix,
    lockMs: options.lockMs,
    concurrency: WORKER_CONCURRENCY,
    now: runtime.now,
    onError: (error) => (lastError = messageOf(error)),
  });
  return {
    store,
    scheduler,
    health: async () => {
      const started = performance.now();
      try {
        await redis.ping();
        const latency = Math.round((performance.now() - started) * 10) / 10;
        const jobs = await scheduler.counts();
        return { url: shown, prefix: options.prefix, reachable: true, latency_ms: latency, jobs };
      } catch (error) {
        return {
          url: shown,
          prefix: options.prefix,
          reachable: false,
          error: lastError ?? messageOf(error),
        };
      }
    },
    close: async () => {
      await scheduler.close().catch(() => {});
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** Wait before reconnect attempt `times`: 100 ms more each time, at most a second. */
const reconnectDelay = (times: number) => Math.min(times * 100, 1_000);

/** The URL without its password, for logs and health. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(unparsable Redis URL)';
  }
}

/**
 * The store with every connection failure as a 503 SERVICE_UNAVAILABLE the API can answer;
 * errors Redis itself replied (a bug) stay what they are.
 */
function unavailableWhenUnreachable(store: MockStore): MockStore {
  const wrap = <T extends object>(part: T): T =>
    Object.fromEntries(
      Object.entries(part).map(([name, member]) => [
        name,
        typeof member === 'function'
          ? (...args: unknown[]) =>
              (member as (...a: unknown[]) => Promise<unknown>)(...args).catch((error: unknown) => {
                throw unavailableError(error, 'store');
              })
          : wrap(member as object),
      ]),
    ) as T;
  return wrap(store);
}
