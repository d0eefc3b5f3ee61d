import { Redis, ReplyError, type RedisOptions } from 'ioredis';
import type { ResolvedOptions } from '../../config.js';
import { BullMQScheduler } from '../../schedule/bullmq.js';
import type { StoreInit } from '@eggapi/mock-engine/host';
import type { MockStore, RedisHealth } from '@eggapi/mock-engine/host';
import { createRedisStore } from './redis-store.js';
import { messageOf, unavailableError } from '../../redis/unavailable.js';
import { EngineError } from '@eggapi/mock-engine/host';
import { withDeadline } from '@eggapi/mock-engine/host';

/** `startMockServer({ redis })`, resolved: see `MockServerOptions.redis`. */
export type RedisStoreOptions = NonNullable<ResolvedOptions['redis']>;
/**
 * Jobs an instance runs at once. Generous on purpose: webhook attempts in flight are limited by
 * `webhooks.concurrency` (which may change at run time), and the jobs waiting for a slot are
 * counted by health as queued, as in memory mode.
 */
const WORKER_CONCURRENCY = 256;
/** How often a stalled Redis is probed (PING) to end fail-fast mode. */
const PROBE_INTERVAL_MS = 100;
/** The longest closing the connections may take (Redis away: they are dropped). */
const CLOSE_TIMEOUT_MS = 1_000;

export interface RedisBackend {
  /** The Redis store; its `health()` says whether Redis answers, and the job queue's counts. */
  store: MockStore;
  scheduler: BullMQScheduler;
  /** Closes the connections (after the scheduler has stopped). */
  close: () => Promise<void>;
}

/** A store call failed because Redis did not answer (not because it refused the command). */
function isUnreachable(error: unknown): boolean {
  return !(error instanceof EngineError) && !(error instanceof ReplyError);
}

/**
 * Connects the Redis store and the BullMQ scheduler. Fails with a clear error when Redis cannot
 * be reached at start; afterwards, an unreachable Redis makes store calls fail fast as
 * SERVICE_UNAVAILABLE, and the connections come back by themselves.
 */
export async function connectRedis(
  options: RedisStoreOptions,
  initFor: (salt: string) => StoreInit,
  runtime: { now: () => number; onError: (error: unknown) => void },
): Promise<RedisBackend> {
  const shown = redactUrl(options.url);
  let lastError: string | undefined;
  const connection: RedisOptions = {
    lazyConnect: true,
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    maxRetriesPerRequest: 1,
    commandTimeout: options.timeoutMs,
    connectTimeout: Math.max(options.timeoutMs, 1_000),
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
  const circuit = new StallCircuit(redis);
  const kept = unavailableWhenUnreachable(
    await createRedisStore(redis, options.prefix, initFor),
    circuit,
  );
  const { host, port, username, password, db, tls } = redis.options;
  // BullMQ's own reconnect delay grows to 20 s: after an outage the queue would stay away (creates
  // failing, workers idle) long after the store is back. Its connections reconnect as the store's.
  const base = { host, port, username, password, db, tls, retryStrategy: reconnectDelay };
  const scheduler = new BullMQScheduler({
    queueConnection: {
      ...base,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: options.timeoutMs,
    },
    workerConnection: { ...base, maxRetriesPerRequest: null },
    prefix: options.prefix,
    lockMs: options.lockMs,
    concurrency: WORKER_CONCURRENCY,
    now: runtime.now,
    onError: (error) => (lastError = messageOf(error)),
    onJobError: runtime.onError,
  });
  /** Whether Redis answers (a PING), how fast, and the shared job queue's counts. */
  const health = async (): Promise<RedisHealth> => {
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
  };
  // Outside the fail-fast wrapper: health must answer (unreachable) while Redis is away.
  const store: MockStore = {
    ...kept,
    health: async () => {
      const redisHealth = await health();
      return { store: 'redis', reachable: redisHealth.reachable, redis: redisHealth };
    },
  };
  return {
    store,
    scheduler,
    close: async () => {
      circuit.stop();
      // Redis may be away: closing waits for it only so long, then drops the connections.
      await withDeadline(scheduler.close(), CLOSE_TIMEOUT_MS).catch(() => {});
      await withDeadline(redis.quit(), CLOSE_TIMEOUT_MS).catch(() => {});
      redis.disconnect();
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
 * Fail-fast while Redis stalls: once a command got no answer (`--redis-timeout`), every store
 * call fails at once, instead of each waiting out its own timeout, until a PING is answered
 * again. So no request waits on a stalled Redis for longer than one timeout.
 */
class StallCircuit {
  #open = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(private readonly redis: Redis) {}

  get open(): boolean {
    return this.#open;
  }

  trip(): void {
    if (this.#open || this.#stopped) return;
    this.#open = true;
    this.#probe();
  }

  stop(): void {
    this.#stopped = true;
    this.#open = false;
    clearTimeout(this.#timer);
  }

  #probe(): void {
    this.#timer = setTimeout(() => {
      this.redis.ping().then(
        () => void (this.#open = false),
        () => void (this.#stopped || this.#probe()),
      );
    }, PROBE_INTERVAL_MS);
    this.#timer.unref?.();
  }
}

/**
 * The store with every connection failure as a 503 SERVICE_UNAVAILABLE the API can answer
 * (at once while the circuit is open); errors Redis itself replied (a bug) stay what they are.
 */
function unavailableWhenUnreachable<T extends object>(store: T, circuit: StallCircuit): T {
  const wrap = <T extends object>(part: T): T =>
    Object.fromEntries(
      Object.entries(part).map(([name, member]) => [
        name,
        typeof member === 'function'
          ? (...args: unknown[]) => {
              if (circuit.open) {
                // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an EngineError
                return Promise.reject(
                  unavailableError(new Error('Redis is not answering'), 'store'),
                );
              }
              return (member as (...a: unknown[]) => Promise<unknown>)(...args).catch(
                (error: unknown) => {
                  if (isUnreachable(error)) circuit.trip();
                  throw unavailableError(error, 'store');
                },
              );
            }
          : member !== null && typeof member === 'object'
            ? wrap(member as object)
            : member,
      ]),
    ) as T;
  return wrap(store);
}
