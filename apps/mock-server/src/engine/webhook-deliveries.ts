import { WEBHOOK_TIMESTAMP_HEADER } from '@eggapi/contracts';
import type { Scheduler } from '../schedule/types.js';
import type { MockStore } from '../store/types.js';
import {
  AttemptQueue,
  backoffDelay,
  describeFailure,
  excerptOf,
  type Delivery,
  type DeliveryAttempt,
  type Signer,
  type WebhookSender,
} from './deliveries.js';
import { EngineError, notFound } from './errors.js';
import { keyFingerprint } from './fingerprint.js';
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
  emit: (event: EngineEvent) => void;
  onError: (error: unknown) => void;
}

/**
 * The webhook rules: a delivery per ended task with a `webhook_url`, attempts as scheduled jobs
 * with upstream's policy (per-attempt timeout, attempts, exponential backoff), at most
 * `webhooks.concurrency` in flight, every attempt recorded, redelivery, and what reset and
 * shutdown do to attempts in flight.
 */
export class WebhookDeliveries {
  readonly #deps: WebhookDeliveriesDeps;
  readonly #queue: AttemptQueue;
  readonly #runs = new Set<Promise<void>>();
  readonly #abort = new AbortController();
  #limit: number;
  /** Bumped by `forgetInFlight`: attempts started before it drop their results. */
  #generation = 0;

  constructor(deps: WebhookDeliveriesDeps, concurrency: number) {
    this.#deps = deps;
    this.#limit = concurrency;
    this.#queue = new AttemptQueue(() => this.#limit);
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

  /** Records the delivery of an ended task and plans its first attempt now. */
  async queue(ended: TaskRecord): Promise<void> {
    const url = ended.request.webhook_url;
    if (url === undefined) return;
    const base = this.#deps.publicBaseUrl ?? ended.webhookImageBase ?? '';
    const payload = webhookPayload(ended, base.replace(/\/+$/, ''));
    const now = this.#deps.now();
    const delivery: Delivery = {
      id: this.#deps.newId(),
      task_id: ended.id,
      owner: keyFingerprint(ended.owner),
      event: payload.event,
      url,
      body: JSON.stringify(payload),
      state: 'pending',
      attempts: [],
      round_start: 0,
      next_attempt_at: null,
      created_at: new Date(now).toISOString(),
    };
    await this.#deps.store.deliveries.add(delivery);
    await this.#deps.scheduler.schedule({ kind: 'deliver', id: delivery.id }, now);
  }

  /**
   * Runs a due attempt beside, never inside, the caller (it takes as long as the receiver does);
   * the promise settles when the attempt is done, for a caller that must know.
   */
  start(id: string): Promise<void> {
    const run = this.#queue.run(() => this.#attempt(id)).catch(this.#deps.onError);
    this.#runs.add(run);
    void run.finally(() => this.#runs.delete(run));
    return run;
  }

  /** Whether shutdown has aborted the attempts. */
  get aborted(): boolean {
    return this.#abort.signal.aborted;
  }

  async get(id: string): Promise<Delivery> {
    const delivery = await this.#deps.store.deliveries.get(id);
    if (!delivery) throw notFound(`delivery ${id} not found`);
    return delivery;
  }

  /** A new round of attempts for a delivery that succeeded or failed; CONFLICT while pending. */
  async redeliver(id: string): Promise<Delivery> {
    const delivery = await this.get(id);
    if (delivery.state === 'pending') {
      throw new EngineError(
        'CONFLICT',
        `delivery ${id} is still being attempted; redeliver it once it has succeeded or failed`,
      );
    }
    delivery.state = 'pending';
    delivery.round_start = delivery.attempts.length;
    delivery.next_attempt_at = null;
    await this.#deps.store.deliveries.save(delivery);
    await this.#deps.scheduler.schedule({ kind: 'deliver', id }, this.#deps.now());
    return delivery;
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

  /** One attempt of a delivery; schedules the next one with backoff, or settles the delivery. */
  async #attempt(id: string): Promise<void> {
    // Shut down while this attempt waited for a slot: it was never sent, so nothing is recorded.
    if (this.#abort.signal.aborted) return;
    const { store, scheduler, now } = this.#deps;
    const generation = this.#generation;
    const delivery = await store.deliveries.get(id);
    if (!delivery || delivery.state !== 'pending') return;
    const { webhooks } = await store.config.get();
    const startedAt = now();
    const started = performance.now();
    const timestamp = Math.floor(startedAt / 1000);
    const attempt: DeliveryAttempt = {
      attempt: delivery.attempts.length + 1,
      at: new Date(startedAt).toISOString(),
      url: delivery.url,
      durationMs: 0,
    };
    delivery.attempts.push(attempt);
    delivery.next_attempt_at = null;
    const signal = this.#abort.signal;
    let delivered = false;
    try {
      // Signed inside the try: a signing failure is recorded as this attempt's error.
      const secret = this.#deps.secret;
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'user-agent': 'EggAPI-Mock-Webhooks/0.1',
        [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
        ...(secret === undefined ? {} : await this.#deps.sign(delivery.body, secret, timestamp)),
      };
      attempt.request_headers = headers;
      const answer = await this.#deps.send({
        url: delivery.url,
        headers,
        body: delivery.body,
        timeoutMs: webhooks.timeoutMs,
        signal,
      });
      attempt.status = answer.status;
      if (answer.body !== undefined) {
        // A custom sender may return more than the excerpt: the record stays bounded.
        const excerpt = excerptOf(answer.body);
        attempt.response_body = excerpt.text;
        attempt.response_truncated = excerpt.truncated || answer.truncated === true;
      }
      delivered = answer.status >= 200 && answer.status < 300;
    } catch (error) {
      attempt.error = describeFailure(error, signal);
    }
    attempt.durationMs = Math.round(performance.now() - started);
    // Reset while it was in flight: the delivery is forgotten, and so is this answer.
    if (generation !== this.#generation) return;
    const made = delivery.attempts.length - delivery.round_start;
    if (delivered) delivery.state = 'succeeded';
    else if (signal.aborted) {
      // Abandoned by shutdown: still pending, so it is reported (and a shared queue keeps it).
    } else if (made >= webhooks.maxAttempts) delivery.state = 'failed';
    else {
      const at = now() + backoffDelay(made, webhooks);
      delivery.next_attempt_at = new Date(at).toISOString();
      await scheduler.schedule({ kind: 'deliver', id }, at);
    }
    await store.deliveries.save(delivery);
    this.#deps.emit({
      type: 'delivery.attempted',
      delivery,
      attempt,
      maxAttempts: delivery.round_start + webhooks.maxAttempts,
    });
  }
}
