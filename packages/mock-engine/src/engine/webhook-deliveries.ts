import type { WebhookDeliveryConfig } from '../options.js';
import { ConcurrencyLimit } from '../internal/concurrency-limit.js';
import { inFlight, lostAt, type Delivery } from './deliveries.js';
import { DeliveryAttempts, type AttemptDeps } from './delivery-attempts.js';
import { EngineError, notFound } from './errors.js';
import type { JobResult, Scheduler } from './ports/scheduler.js';
import type { TaskRecord } from './task-record.js';
import { webhookPayload } from './webhook-payload.js';

export interface WebhookDeliveriesDeps extends AttemptDeps {
  scheduler: Scheduler;
  /** The base of image links when one is configured (else where the task was created). */
  publicBaseUrl: string | undefined;
  newId: () => string;
  /** The fingerprint shown for a task's owner. */
  fingerprintOf: (owner: string) => string;
}

/**
 * The webhook rules: a delivery per ended task with a `webhook_url`, attempts as scheduled jobs
 * with upstream's policy (per-attempt timeout, attempts, exponential backoff), at most
 * `webhooks.concurrency` in flight, every attempt recorded, redelivery, and what reset and
 * shutdown do to attempts in flight.
 *
 * Exactly once, also on a shared store with several instances: the delivery record is the plan
 * (it is created in the same store operation that ends its task, and says which attempt is due
 * when), and jobs only trigger it; each attempt is claimed in the record before it is sent
 * (`DeliveryAttempts`).
 */
export class WebhookDeliveries {
  readonly #deps: WebhookDeliveriesDeps;
  readonly #queue: ConcurrencyLimit;
  readonly #runs = new Set<Promise<unknown>>();
  /** The signals of the attempts on the wire (see `AttemptControl.track`). */
  readonly #inFlight = new Set<AbortController>();
  /** Set by shutdown: why attempts in flight were aborted. */
  #stopped: Error | undefined;
  readonly #attempts: DeliveryAttempts;
  #limit: number;
  /** Bumped by `forgetInFlight`: attempts started before it drop their results. */
  #generation = 0;

  constructor(deps: WebhookDeliveriesDeps, concurrency: number) {
    this.#deps = deps;
    this.#limit = concurrency;
    this.#queue = new ConcurrencyLimit(() => this.#limit);
    this.#attempts = new DeliveryAttempts(deps, {
      stopped: () => this.#stopped,
      track: () => {
        const controller = new AbortController();
        if (this.#stopped) controller.abort(this.#stopped);
        this.#inFlight.add(controller);
        return { signal: controller.signal, release: () => this.#inFlight.delete(controller) };
      },
      generation: () => this.#generation,
      plan: (delivery, config) => this.plan(delivery, config),
    });
  }

  get inFlight(): number {
    return this.#queue.inFlight;
  }

  get queued(): number {
    return this.#queue.queued;
  }

  /** Follows a changed `webhooks.concurrency` at once. */
  setConcurrency(limit: number): void {
    this.#limit = limit;
    this.#queue.limitChanged();
  }

  /**
   * The delivery of a task that is ending (pending, its first attempt due now), or `undefined`
   * for a task without a `webhook_url`. The store keeps it in the same operation that ends the
   * task; `plan` then plans its first attempt.
   */
  deliveryFor(ended: TaskRecord): Delivery | undefined {
    const url = ended.request.webhook_url;
    if (url === undefined) return undefined;
    const payload = webhookPayload(ended, this.imageBaseOf(ended, ''));
    return {
      id: this.#deps.newId(),
      task_id: ended.id,
      owner: this.#deps.fingerprintOf(ended.owner),
      event: payload.event,
      url,
      body: JSON.stringify(payload),
      state: 'pending',
      attempts: [],
      round_start: 0,
      next_attempt_at: null,
      created_at: new Date(this.#deps.now()).toISOString(),
    };
  }

  /**
   * The base of the image links in a task's webhook payload: the public URL, else where the
   * request that created it arrived (kept when it named a `webhook_url`), else `fallback`.
   */
  imageBaseOf(record: TaskRecord, fallback: string): string {
    return (this.#deps.publicBaseUrl ?? record.webhookImageBase ?? fallback).replace(/\/+$/, '');
  }

  /**
   * Plans the job of the attempt a pending delivery is waiting for, at its due time: the next
   * attempt, or (for one in flight) the moment it counts as lost. Planning the same attempt
   * again is harmless, so a sweep may call it for any pending delivery.
   */
  plan(delivery: Delivery, config: WebhookDeliveryConfig): Promise<void> {
    const last = delivery.attempts.at(-1);
    if (!inFlight(last)) return this.planNext(delivery);
    return this.#deps.scheduler.schedule(
      { kind: 'deliver', id: delivery.id, attempt: last.attempt },
      lostAt(last, config.timeoutMs, this.#deps.inFlightGraceMs),
    );
  }

  /**
   * Plans the next attempt of a pending delivery with none in flight (a new one, a redelivery, or
   * one whose last attempt has an outcome): at `next_attempt_at`, or now.
   */
  planNext(delivery: Delivery): Promise<void> {
    const due = delivery.next_attempt_at ? Date.parse(delivery.next_attempt_at) : this.#deps.now();
    return this.#deps.scheduler.schedule(
      { kind: 'deliver', id: delivery.id, attempt: delivery.attempts.length + 1 },
      due,
    );
  }

  /**
   * Runs attempt `number` of a delivery (the job of it), once a slot is free. The promise settles
   * when the attempt is done and recorded: `retry` when it cannot be made yet (an earlier one is
   * still in flight elsewhere, or its backoff has not passed by this clock), `requeue` when
   * shutdown came before it was sent.
   */
  start(id: string, number: number | undefined): Promise<JobResult> {
    const run = this.#queue.run(() => this.#attempts.make(id, number));
    this.#runs.add(run);
    void run.then(
      () => this.#runs.delete(run),
      () => this.#runs.delete(run),
    );
    return run;
  }

  async get(id: string): Promise<Delivery> {
    const delivery = await this.#deps.store.deliveries.get(id);
    if (!delivery) throw notFound(`delivery ${id} not found`);
    return delivery;
  }

  /** A new round of attempts for a delivery that succeeded or failed; CONFLICT while pending. */
  async redeliver(id: string): Promise<Delivery> {
    const delivery = await this.get(id);
    const conflict = () =>
      new EngineError(
        'CONFLICT',
        `delivery ${id} is still being attempted; redeliver it once it has succeeded or failed`,
      );
    if (delivery.state === 'pending') throw conflict();
    const again: Delivery = {
      ...delivery,
      state: 'pending',
      round_start: delivery.attempts.length,
      next_attempt_at: null,
    };
    if (!(await this.#deps.store.deliveries.replace(delivery, again))) throw conflict();
    await this.planNext(again);
    return again;
  }

  /** Reset: attempts in flight finish on the wire, but their answers are dropped. */
  forgetInFlight(): void {
    this.#generation++;
  }

  /** Resolves when an attempt finishes (or at once when none runs or waits). */
  settled(): Promise<void> {
    return this.#queue.settled();
  }

  /** Shutdown: aborts attempts in flight (they stay pending) and waits for them to stop. */
  async abort(): Promise<void> {
    this.#stopped = new Error('server shutting down');
    for (const controller of this.#inFlight) controller.abort(this.#stopped);
    await Promise.allSettled([...this.#runs]);
  }
}
