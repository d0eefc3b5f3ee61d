import { TASK_ID_PREFIX, WEBHOOK_DELIVERY_ID_PREFIX } from '@eggapi/contracts';
import { createRandom, randomToken, type Random } from '../internal/random.js';
import type { ResolvedEngineOptions } from '../options.js';
import { KeyRing } from './key-ring.js';
import type { Scheduler } from './ports/scheduler.js';
import type { MockStore } from './ports/store.js';
import type { EngineDeps, EngineEvent } from './types.js';
import { WebhookDeliveries } from './webhook-deliveries.js';

/** See `EngineDeps.inFlightGraceMs`. */
const DEFAULT_IN_FLIGHT_GRACE_MS = 30_000;

/**
 * What every part of the engine shares: its options and ports, the accepted keys, the webhook
 * deliveries, the seeded random streams and the listeners of its events.
 */
export class EngineCore {
  readonly options: ResolvedEngineOptions;
  readonly store: MockStore;
  readonly scheduler: Scheduler;
  readonly keys: KeyRing;
  readonly webhooks: WebhookDeliveries;
  /** Where failures of work nobody waits for go (see `EngineDeps.onError`). */
  readonly onError: (error: unknown) => void;
  readonly #listeners = new Set<(event: EngineEvent) => void>();
  #taskIds!: Random;
  #deliveryIds!: Random;
  #timing!: Random;

  constructor(options: ResolvedEngineOptions, deps: EngineDeps) {
    this.options = options;
    this.store = deps.store;
    this.scheduler = deps.scheduler;
    this.keys = new KeyRing(options.apiKeys, deps.store.salt);
    this.onError = deps.onError ?? ((error) => console.error('eggapi-mock:', error));
    this.webhooks = new WebhookDeliveries(
      {
        store: deps.store,
        scheduler: deps.scheduler,
        sign: deps.sign,
        send: deps.sender,
        now: options.now,
        secret: options.webhookSecret,
        publicBaseUrl: options.publicBaseUrl,
        newId: () => `${WEBHOOK_DELIVERY_ID_PREFIX}${randomToken(this.#deliveryIds, 16)}`,
        fingerprintOf: (owner) => this.keys.fingerprintOf(owner),
        // An instance may go this long without answering before its work moves on (its lock).
        inFlightGraceMs: deps.inFlightGraceMs ?? DEFAULT_IN_FLIGHT_GRACE_MS,
        emit: (event) => this.emit(event),
      },
      options.webhooks.concurrency,
    );
    this.reseed();
  }

  /** The seed as text (empty without one): images and ids follow from it. */
  get seed(): string {
    return this.options.seed === undefined ? '' : String(this.options.seed);
  }

  /** A new task id, `gen_` and 12 characters of the task id stream. */
  newTaskId(): string {
    return `${TASK_ID_PREFIX}${randomToken(this.#taskIds, 12)}`;
  }

  /** The stream that spreads processing times (`timing.jitter`). */
  get timingRandom(): Random {
    return this.#timing;
  }

  /** Fresh random streams: with a seed, a reset engine repeats the ids of a new one. */
  reseed(): void {
    const stream = (name: string) =>
      createRandom(this.options.seed === undefined ? undefined : `${this.seed}:${name}`);
    this.#taskIds = stream('tasks');
    this.#deliveryIds = stream('deliveries');
    this.#timing = stream('timing');
  }

  /** The base of image links: the configured public URL, else where the request arrived. */
  base(requestBase: string): string {
    return (this.options.publicBaseUrl ?? requestBase).replace(/\/+$/, '');
  }

  /** Listens to what happens; returns the function that stops listening. */
  on(listener: (event: EngineEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Tells every listener; one that throws goes to `onError`, and the others still hear it. */
  emit(event: EngineEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}
