import { WEBHOOK_TIMESTAMP_HEADER } from '@eggapi/contracts';
import type { WebhookDeliveryConfig } from '../options.js';
import { jobResult, type JobResult, type Scheduler } from './ports/scheduler.js';
import type { MockStore } from './ports/store.js';
import {
  backoffDelay,
  describeFailure,
  excerptOf,
  inFlight,
  lostAt,
  type Delivery,
  type DeliveryAttempt,
  type Signer,
  type WebhookSender,
} from './deliveries.js';
import { ConcurrencyLimit } from '../internal/concurrency-limit.js';
import { EngineError, notFound } from './errors.js';
import type { TaskRecord } from './task-record.js';
import type { EngineEvent } from './types.js';
import { webhookPayload } from './webhook-payload.js';

export interface WebhookDeliveriesDeps {
  store: MockStore;
  scheduler: Scheduler;
  sign: Signer;
  send: WebhookSender;
  now: () => number;
  /** Signs every attempt when set; deliveries are unsigned otherwise, as upstream. */
  secret: string | undefined;
  /** The base of image links when one is configured (else where the task was created). */
  publicBaseUrl: string | undefined;
  newId: () => string;
  /**
   * Beyond twice the receiver's timeout, how long an attempt without a recorded outcome is still
   * awaited before it counts as lost (`lostAt`).
   */
  inFlightGraceMs: number;
  /** The fingerprint shown for a task's owner. */
  fingerprintOf: (owner: string) => string;
  emit: (event: EngineEvent) => void;
}

/** Whether a store call failed because the store did not answer (its write may still land). */
const unreachable = (error: unknown) =>
  error instanceof EngineError && error.code === 'SERVICE_UNAVAILABLE';

/** A pause between tries to record an attempt's outcome while the store is unreachable. */
const RECORD_RETRY_MS = 200;

/**
 * The webhook rules: a delivery per ended task with a `webhook_url`, attempts as scheduled jobs
 * with upstream's policy (per-attempt timeout, attempts, exponential backoff), at most
 * `webhooks.concurrency` in flight, every attempt recorded, redelivery, and what reset and
 * shutdown do to attempts in flight.
 *
 * Exactly once, also on a shared store with several instances: the delivery record is the plan
 * (it is created in the same store operation that ends its task, and says which attempt is due
 * when), and jobs only trigger it. An attempt is recorded — claimed, with a compare-and-set on
 * the record — before it is sent, so a job run twice (a lost lock, a retried job) finds it taken
 * and never sends it again; its outcome is recorded once the receiver has answered.
 */
export class WebhookDeliveries {
  readonly #deps: WebhookDeliveriesDeps;
  readonly #queue: ConcurrencyLimit;
  readonly #runs = new Set<Promise<unknown>>();
  readonly #abort = new AbortController();
  #limit: number;
  /** Bumped by `forgetInFlight`: attempts started before it drop their results. */
  #generation = 0;

  constructor(deps: WebhookDeliveriesDeps, concurrency: number) {
    this.#deps = deps;
    this.#limit = concurrency;
    this.#queue = new ConcurrencyLimit(() => this.#limit);
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
    const base = this.#deps.publicBaseUrl ?? ended.webhookImageBase ?? '';
    const payload = webhookPayload(ended, base.replace(/\/+$/, ''));
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
    const run = this.#queue.run(() => this.#attempt(id, number));
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
    this.#abort.abort(new Error('server shutting down'));
    await Promise.allSettled([...this.#runs]);
  }

  /** One attempt of a delivery: claimed in the store, sent, its outcome recorded and planned. */
  async #attempt(id: string, number: number | undefined): Promise<JobResult> {
    // Shut down while this attempt waited for a slot: never sent, so nothing is recorded; the
    // job goes back to the queue (for another instance, or the next start).
    if (this.#abort.signal.aborted) return jobResult.requeue;
    const { store, now } = this.#deps;
    const generation = this.#generation;
    const delivery = await store.deliveries.get(id);
    if (!delivery || delivery.state !== 'pending') return jobResult.done;
    const { webhooks } = await store.config.get();
    const last = delivery.attempts.at(-1);
    if (inFlight(last)) {
      // Sent by a job that lost its lock, or by an instance that died: never send the next one
      // while that one may still be on the wire or about to be recorded.
      const lost = lostAt(last, webhooks.timeoutMs, this.#deps.inFlightGraceMs);
      if (now() < lost) return jobResult.retryAt(lost);
      const outcome = {
        ...last,
        error: 'lost: the instance making this attempt recorded no outcome',
      };
      await this.#record(delivery, outcome, webhooks, false);
      return jobResult.done;
    }
    // A job of an attempt already made (a job run twice, a sweep's re-plan): nothing to do.
    if (number !== undefined && number !== delivery.attempts.length + 1) return jobResult.done;
    const due = delivery.next_attempt_at ? Date.parse(delivery.next_attempt_at) : undefined;
    if (due !== undefined && due > now()) return jobResult.retryAt(due);

    const startedAt = now();
    const timestamp = Math.floor(startedAt / 1000);
    const attempt: DeliveryAttempt = {
      attempt: delivery.attempts.length + 1,
      at: new Date(startedAt).toISOString(),
      url: delivery.url,
      durationMs: 0,
    };
    const started = performance.now();
    let headers: Record<string, string>;
    try {
      const secret = this.#deps.secret;
      headers = {
        'content-type': 'application/json',
        'user-agent': 'EggAPI-Mock-Webhooks/0.1',
        [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
        ...(secret === undefined ? {} : await this.#deps.sign(delivery.body, secret, timestamp)),
      };
    } catch (error) {
      // Nothing was sent: the signing failure is this attempt's outcome.
      attempt.error = describeFailure(error, this.#abort.signal);
      await this.#record(delivery, attempt, webhooks, false, generation);
      return jobResult.done;
    }
    attempt.request_headers = headers;
    const claimed: Delivery = {
      ...delivery,
      attempts: [...delivery.attempts, attempt],
      next_attempt_at: null,
    };
    // Someone else changed the record meanwhile (and plans what follows): do not send.
    if (!(await this.#claim(delivery, claimed, attempt, webhooks.timeoutMs))) {
      return jobResult.done;
    }

    const signal = this.#abort.signal;
    const outcome: DeliveryAttempt = { ...attempt };
    let delivered = false;
    try {
      const answer = await this.#deps.send({
        url: delivery.url,
        headers,
        body: delivery.body,
        timeoutMs: webhooks.timeoutMs,
        signal,
      });
      outcome.status = answer.status;
      if (answer.body !== undefined) {
        // A custom sender may return more than the excerpt: the record stays bounded.
        const excerpt = excerptOf(answer.body);
        outcome.response_body = excerpt.text;
        outcome.response_truncated = excerpt.truncated || answer.truncated === true;
      }
      delivered = answer.status >= 200 && answer.status < 300;
    } catch (error) {
      outcome.error = describeFailure(error, signal);
    }
    outcome.durationMs = Math.round(performance.now() - started);
    await this.#record(claimed, outcome, webhooks, delivered, generation);
    return jobResult.done;
  }

  /**
   * Records `claimed` (the delivery with the attempt about to be sent) in place of `read`;
   * whether it is now this attempt's to send. When the store does not answer, the write may
   * still land (Redis runs it after a stall): read back until it answers, and send only if the
   * record holds this very attempt, so that no attempt is recorded without being sent.
   */
  async #claim(
    read: Delivery,
    claimed: Delivery,
    attempt: DeliveryAttempt,
    timeoutMs: number,
  ): Promise<boolean> {
    const { store, now } = this.#deps;
    try {
      return await store.deliveries.replace(read, claimed);
    } catch (error) {
      if (!unreachable(error)) throw error;
    }
    // Sent this late, the attempt still ends (its timeout) before it would count as lost.
    const giveUpAt = Date.parse(attempt.at) + timeoutMs;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, RECORD_RETRY_MS));
      try {
        const stored = await store.deliveries.get(read.id);
        const mine = stored?.attempts[attempt.attempt - 1];
        return mine !== undefined && mine.at === attempt.at && inFlight(mine);
      } catch (error) {
        if (!unreachable(error) || now() >= giveUpAt) throw error;
      }
    }
  }

  /**
   * Records the outcome of attempt `outcome.attempt` (already in `read`'s attempts, or appended)
   * and plans what follows. A compare-and-set on the record: when another instance changed it
   * meanwhile, it reads again and applies the outcome to what is there. While the store is
   * unreachable it keeps trying until the attempt would count as lost.
   */
  async #record(
    read: Delivery,
    outcome: DeliveryAttempt,
    webhooks: WebhookDeliveryConfig,
    delivered: boolean,
    generation = this.#generation,
  ): Promise<void> {
    const { store, now } = this.#deps;
    const giveUpAt =
      lostAt(outcome, webhooks.timeoutMs, this.#deps.inFlightGraceMs) -
      this.#deps.inFlightGraceMs / 3;
    let current: Delivery | undefined = read;
    for (;;) {
      // Reset while it was in flight: the delivery is forgotten, and so is this answer.
      if (generation !== this.#generation || !current) return;
      const after = this.#withOutcome(current, outcome, webhooks, delivered);
      if (!after) return;
      try {
        if (await store.deliveries.replace(current, after)) {
          this.#deps.emit({
            type: 'delivery.attempted',
            delivery: after,
            attempt: outcome,
            maxAttempts: after.round_start + webhooks.maxAttempts,
          });
          // A failure to plan is recovered by the sweep: the record says what is due.
          if (after.state === 'pending') await this.plan(after, webhooks);
          return;
        }
        current = await store.deliveries.get(read.id);
      } catch (error) {
        if (!unreachable(error) || now() >= giveUpAt) throw error;
        await new Promise((resolve) => setTimeout(resolve, RECORD_RETRY_MS));
        current = await store.deliveries.get(read.id).catch(() => current);
      }
    }
  }

  /** `delivery` with attempt `outcome.attempt` set to `outcome`, and the policy applied. */
  #withOutcome(
    delivery: Delivery,
    outcome: DeliveryAttempt,
    webhooks: WebhookDeliveryConfig,
    delivered: boolean,
  ): Delivery | undefined {
    const index = delivery.attempts.findIndex(
      (a) => a.attempt === outcome.attempt && a.at === outcome.at,
    );
    const attempts = [...delivery.attempts];
    if (index >= 0) attempts[index] = outcome;
    else if (outcome.attempt === attempts.length + 1) attempts.push(outcome);
    else return undefined;
    const after: Delivery = { ...delivery, attempts };
    // Only the newest attempt of a pending delivery decides what follows.
    if (delivery.state !== 'pending' || outcome.attempt !== attempts.length) return after;
    const made = attempts.length - delivery.round_start;
    after.next_attempt_at = null;
    if (delivered) after.state = 'succeeded';
    else if (this.#abort.signal.aborted) {
      // Cut short by shutdown: still pending, due again at once (a shared queue keeps it).
      after.next_attempt_at = new Date(this.#deps.now()).toISOString();
    } else if (made >= webhooks.maxAttempts) after.state = 'failed';
    else {
      after.next_attempt_at = new Date(
        this.#deps.now() + backoffDelay(made, webhooks),
      ).toISOString();
    }
    return after;
  }
}
