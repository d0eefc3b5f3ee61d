import { WEBHOOK_TIMESTAMP_HEADER, type WebhookEvent } from '@eggapi/contracts';
import { WebhookVerificationError } from './errors.js';
import { readHeader, type WebhookHeaders } from './headers.js';
import { currentSeconds, toleranceSeconds } from './internal/config.js';
import type { WebhookClock } from './options.js';

/**
 * Where a {@link ReplayGuard} remembers the deliveries it has seen. One atomic operation, so a
 * multi-instance receiver can back it with Redis (`RedisReplayStore`, from the entry
 * `@eggapi/webhook/redis-replay-store`) or a database unique key.
 */
export interface ReplayStore {
  /**
   * Records `key` for `ttlSeconds` unless it is already recorded. Returns `true` when it was
   * recorded now (first sighting), `false` when it was already there (a replay).
   */
  setIfAbsent(key: string, ttlSeconds: number): boolean | Promise<boolean>;
}

/** Options of {@link MemoryReplayStore}. */
export interface MemoryReplayStoreOptions {
  /** Most keys kept; when full, expired keys are swept, then the oldest dropped. Default 10 000. */
  maxEntries?: number;
  /** Clock (milliseconds or a Date), default `Date.now`. */
  now?: WebhookClock;
}

/**
 * The default {@link ReplayStore}: an in-process map with expiry and a bounded size. Good for one
 * process; use a shared store (`@eggapi/webhook/redis-replay-store`) when several instances receive webhooks.
 */
export class MemoryReplayStore implements ReplayStore {
  readonly #expiries = new Map<string, number>();
  readonly #maxEntries: number;
  readonly #now: WebhookClock | undefined;

  /** @throws {RangeError} when `maxEntries` is not a positive integer. */
  constructor(options: MemoryReplayStoreOptions = {}) {
    const { maxEntries = 10_000, now } = options;
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError('eggapi webhook: `maxEntries` must be a positive integer.');
    }
    this.#maxEntries = maxEntries;
    this.#now = now;
  }

  /** Number of keys currently held (expired ones included until swept). */
  get size(): number {
    return this.#expiries.size;
  }

  /** See {@link ReplayStore.setIfAbsent}. */
  setIfAbsent(key: string, ttlSeconds: number): boolean {
    const now = currentSeconds(this.#now);
    const expiry = this.#expiries.get(key);
    if (expiry !== undefined && expiry > now) return false;
    this.#expiries.delete(key);
    if (this.#expiries.size >= this.#maxEntries) this.#sweep(now);
    this.#expiries.set(key, now + ttlSeconds);
    return true;
  }

  #sweep(now: number): void {
    for (const [key, expiry] of this.#expiries) {
      if (expiry <= now) this.#expiries.delete(key);
    }
    // Still full: drop the oldest insertions (a Map iterates in insertion order).
    for (const key of this.#expiries.keys()) {
      if (this.#expiries.size < this.#maxEntries) break;
      this.#expiries.delete(key);
    }
  }
}

/** Options of {@link createReplayGuard}. */
export interface ReplayGuardOptions {
  /** Where seen deliveries are recorded. Default: a new {@link MemoryReplayStore}. */
  store?: ReplayStore;
  /** The verification tolerance in seconds (default 300); use the same value as for verifying. */
  tolerance?: number;
}

/** Rejects a verified delivery that was already seen within the tolerance window. */
export interface ReplayGuard {
  /**
   * Records the delivery `(task_id, event, timestamp)` and resolves, or rejects with a
   * `WebhookVerificationError` of reason `replayed` when it was seen before. `timestamp` is the
   * signed `X-EggAPI-Timestamp` when `headers` are given, else the payload's own `timestamp`.
   */
  check(event: WebhookEvent, headers?: WebhookHeaders): Promise<void>;
}

/**
 * An opt-in replay guard. The signature and timestamp checks already bound a replay to the
 * tolerance window; this closes that window by remembering each delivery for as long as its
 * timestamp could still pass (twice the tolerance, plus a second).
 *
 * EggAPI signs no delivery id, so a retry of one delivery and a replay look alike: receivers must
 * still be idempotent on `task_id` + `event`.
 *
 * @throws {RangeError} when `tolerance` is negative or not finite.
 */
export function createReplayGuard(options: ReplayGuardOptions = {}): ReplayGuard {
  const store = options.store ?? new MemoryReplayStore();
  const ttlSeconds = 2 * toleranceSeconds(options.tolerance) + 1;
  return {
    async check(event, headers) {
      const signed = headers && readHeader(headers, WEBHOOK_TIMESTAMP_HEADER)?.trim();
      const key = JSON.stringify([event.task_id, event.event, signed || String(event.timestamp)]);
      if (!(await store.setIfAbsent(key, ttlSeconds))) {
        throw new WebhookVerificationError(
          'replayed',
          `This delivery (task ${event.task_id}, ${event.event}) was already received within the ` +
            'tolerance window: a replay, or a retry of a delivery you already accepted.',
        );
      }
    },
  };
}
