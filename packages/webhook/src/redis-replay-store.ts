/**
 * `@eggapi/webhook/redis-replay-store`: a {@link ReplayStore} on Redis for receivers with several
 * instances. Its own entry, so that importing the verifier never names Redis.
 */

import type { ReplayStore } from './replay.js';

/** Key prefix of {@link RedisReplayStore} unless `prefix` is given. */
export const DEFAULT_REDIS_REPLAY_PREFIX = 'eggapi-webhook:replay:';

/**
 * The one command a {@link RedisReplayStore} sends: `SET key value PX milliseconds NX`, resolving
 * `'OK'` when the key was set and `null` when it already existed. An ioredis `Redis` (or
 * `Cluster`) instance fits as it is; a node-redis client fits through a one-line adapter:
 * `{ set: (key, value, _px, ms) => client.set(key, value, { PX: ms, NX: true }) }`.
 */
export interface RedisReplayClient {
  set(
    key: string,
    value: string,
    millisecondsToken: 'PX',
    milliseconds: number,
    nx: 'NX',
  ): PromiseLike<string | null>;
}

/** Options of {@link RedisReplayStore}. */
export interface RedisReplayStoreOptions {
  /** A connected Redis client (see {@link RedisReplayClient}); the store never closes it. */
  client: RedisReplayClient;
  /**
   * Prepended to every key, so several receivers (or apps) can share one Redis. Receivers that
   * must refuse each other's replays use the same prefix. Default `'eggapi-webhook:replay:'`.
   */
  prefix?: string;
}

/**
 * A {@link ReplayStore} on Redis, for several receiver instances behind one endpoint: a delivery
 * accepted by one instance is refused as `replayed` by all the others. Each sighting is one
 * atomic `SET <prefix><key> 1 PX <ttl ms> NX`, so Redis expires the keys itself.
 *
 * Fails closed: when Redis cannot answer (down, unreachable, an error reply), `setIfAbsent`
 * rejects with an `Error` naming the cause (the client's error is its `cause`), so the guard's
 * `check` rejects and the delivery is not accepted (`eggapiWebhook` passes the error to `next`,
 * which express's default handler answers with 500; `verifyRequest` rejects with it). It is not a `WebhookVerificationError`: the
 * delivery may be genuine, and the sender should retry it.
 *
 * The package has no dependency on a Redis library: bring your own client.
 *
 * @throws {TypeError} when `client` has no `set` method or `prefix` is not a string.
 */
export class RedisReplayStore implements ReplayStore {
  /** The key prefix in use. */
  readonly prefix: string;
  readonly #client: RedisReplayClient;

  constructor(options: RedisReplayStoreOptions) {
    // Checked at run time too: JavaScript callers, and `any` clients, reach here unchecked.
    const { client, prefix = DEFAULT_REDIS_REPLAY_PREFIX } = (options ??
      {}) as Partial<RedisReplayStoreOptions>;
    if (typeof client?.set !== 'function') {
      throw new TypeError(
        'eggapi webhook: RedisReplayStore needs `client`, a Redis client with ' +
          "set(key, value, 'PX', ms, 'NX') (an ioredis instance, or an adapter for node-redis).",
      );
    }
    if (typeof prefix !== 'string') {
      throw new TypeError('eggapi webhook: RedisReplayStore `prefix` must be a string.');
    }
    this.#client = client;
    this.prefix = prefix;
  }

  /**
   * See {@link ReplayStore.setIfAbsent}: `SET <prefix><key> 1 PX <ttlSeconds × 1000> NX`.
   *
   * @throws {RangeError} (as a rejection) when `ttlSeconds` is not a positive finite number.
   * @throws {Error} (as a rejection) when Redis fails or answers something other than `'OK'` or
   *   `null`; the delivery must then be refused.
   */
  async setIfAbsent(key: string, ttlSeconds: number): Promise<boolean> {
    if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
      throw new RangeError('eggapi webhook: the replay TTL must be a positive number of seconds.');
    }
    const redisKey = this.prefix + key;
    const milliseconds = Math.ceil(ttlSeconds * 1000);
    let reply: unknown;
    try {
      reply = await this.#client.set(redisKey, '1', 'PX', milliseconds, 'NX');
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new Error(
        `eggapi webhook: the Redis replay store could not record this delivery (SET ${redisKey} ` +
          `1 PX ${milliseconds} NX failed: ${why}). The delivery is refused rather than accepted ` +
          'unchecked; check that Redis is reachable.',
        { cause: error },
      );
    }
    if (reply === 'OK') return true;
    if (reply === null) return false;
    throw new Error(
      `eggapi webhook: the Redis replay store expected 'OK' or null from SET ${redisKey} ... NX, ` +
        `got ${JSON.stringify(reply)}; the delivery is refused. Is the client's set() Redis SET?`,
    );
  }
}
