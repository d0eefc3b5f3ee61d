import type { WebhookEventType } from '@eggapi/contracts';
import { WEBHOOK_TIMESTAMP_HEADER } from '@eggapi/contracts';
import type { Logger } from 'pino';
import type { WebhookDeliveryConfig } from '../config.js';

/** One HTTP attempt of a delivery. */
export interface DeliveryAttempt {
  attempt: number;
  at: string;
  url: string;
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  /** Why the attempt failed without an answer (timeout, refused, …). */
  error?: string;
  durationMs: number;
}

/** A webhook delivery and every attempt made for it. */
export interface Delivery {
  id: string;
  task_id: string;
  owner: string;
  event: WebhookEventType;
  url: string;
  /** The exact bytes sent (and signed). */
  body: string;
  state: 'pending' | 'succeeded' | 'failed';
  attempts: DeliveryAttempt[];
  next_attempt_at: string | null;
  created_at: string;
}

/** Signs a delivery: the headers to add for `body` at `timestamp` (Unix seconds). */
export type Signer = (body: string, secret: string, timestamp: number) => Record<string, string>;

export interface DispatcherDeps {
  config: () => WebhookDeliveryConfig;
  secret: () => string | undefined;
  sign: Signer;
  now: () => number;
  newId: () => string;
  logger: Logger;
  maxDeliveries: number;
}

/**
 * Sends webhook deliveries as upstream does: POST with `X-EggAPI-Timestamp` and, when a secret is
 * configured, `X-EggAPI-Signature`; a per-attempt timeout, up to `maxAttempts` attempts with
 * exponential backoff (`backoffBaseMs · 2^(n-1)`, capped at `backoffMaxMs`). Each attempt is
 * re-signed with the current time; the body stays byte-identical.
 */
export class WebhookDispatcher {
  readonly #deliveries = new Map<string, Delivery>();
  readonly #retryTimers = new Map<string, NodeJS.Timeout>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #aborts = new Set<AbortController>();
  #closed = false;

  constructor(private readonly deps: DispatcherDeps) {}

  /** Queues a delivery and makes its first attempt at once. */
  send(input: Pick<Delivery, 'task_id' | 'owner' | 'event' | 'url' | 'body'>): Delivery {
    const delivery: Delivery = {
      id: this.deps.newId(),
      ...input,
      state: 'pending',
      attempts: [],
      next_attempt_at: null,
      created_at: new Date(this.deps.now()).toISOString(),
    };
    this.#deliveries.set(delivery.id, delivery);
    while (this.#deliveries.size > this.deps.maxDeliveries) {
      const oldest = this.#deliveries.keys().next().value as string;
      this.#cancelRetry(oldest);
      this.#deliveries.delete(oldest);
    }
    this.#attempt(delivery);
    return delivery;
  }

  /** Starts a new round of attempts for a delivery (after it failed, or to send it again). */
  redeliver(id: string): Delivery | undefined {
    const delivery = this.#deliveries.get(id);
    if (!delivery) return undefined;
    this.#cancelRetry(id);
    delivery.state = 'pending';
    this.#attempt(delivery, delivery.attempts.length);
    return delivery;
  }

  get(id: string): Delivery | undefined {
    return this.#deliveries.get(id);
  }

  list(filter: { task_id?: string; owner?: string } = {}): Delivery[] {
    return [...this.#deliveries.values()].filter(
      (d) =>
        (filter.task_id === undefined || d.task_id === filter.task_id) &&
        (filter.owner === undefined || d.owner === filter.owner),
    );
  }

  clear(): void {
    for (const id of [...this.#retryTimers.keys()]) this.#cancelRetry(id);
    this.#deliveries.clear();
  }

  /**
   * Stops scheduling retries and waits for attempts in flight, at most `graceMs`; attempts still
   * running then are aborted.
   */
  async close(graceMs: number): Promise<void> {
    this.#closed = true;
    for (const id of [...this.#retryTimers.keys()]) this.#cancelRetry(id);
    if (this.#inFlight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([Promise.allSettled([...this.#inFlight]), deadline]);
      clearTimeout(timer);
    }
    for (const controller of this.#aborts) controller.abort(new Error('server shutting down'));
    await Promise.allSettled([...this.#inFlight]);
  }

  /** Attempts in flight right now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  #attempt(delivery: Delivery, roundStart = delivery.attempts.length): void {
    if (this.#closed) return;
    const run = this.#post(delivery).then((ok) => {
      if (ok) {
        delivery.state = 'succeeded';
        delivery.next_attempt_at = null;
        return;
      }
      const made = delivery.attempts.length - roundStart;
      const { maxAttempts, backoffBaseMs, backoffMaxMs } = this.deps.config();
      if (made >= maxAttempts || this.#closed) {
        delivery.state = 'failed';
        delivery.next_attempt_at = null;
        this.deps.logger.warn({ delivery: delivery.id, attempts: made }, 'webhook delivery failed');
        return;
      }
      const wait = Math.min(backoffMaxMs, backoffBaseMs * 2 ** (made - 1));
      delivery.next_attempt_at = new Date(this.deps.now() + wait).toISOString();
      const timer = setTimeout(() => {
        this.#retryTimers.delete(delivery.id);
        this.#attempt(delivery, roundStart);
      }, wait);
      this.#retryTimers.set(delivery.id, timer);
    });
    this.#inFlight.add(run);
    void run.finally(() => this.#inFlight.delete(run));
  }

  async #post(delivery: Delivery): Promise<boolean> {
    const { timeoutMs } = this.deps.config();
    const startedAt = this.deps.now();
    const started = performance.now();
    const timestamp = Math.floor(startedAt / 1000);
    const secret = this.deps.secret();
    const controller = new AbortController();
    this.#aborts.add(controller);
    const timer = setTimeout(
      () => controller.abort(new Error(`timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
    const attempt: DeliveryAttempt = {
      attempt: delivery.attempts.length + 1,
      at: new Date(startedAt).toISOString(),
      url: delivery.url,
      durationMs: 0,
    };
    delivery.attempts.push(attempt);
    try {
      // Signed inside the try: a signing failure is recorded as this attempt's error.
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'user-agent': 'EggAPI-Mock-Webhooks/0.1',
        [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
        ...(secret === undefined ? {} : this.deps.sign(delivery.body, secret, timestamp)),
      };
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers,
        body: delivery.body,
        redirect: 'manual',
        signal: controller.signal,
      });
      attempt.status = response.status;
      await response.body?.cancel().catch(() => {});
      return response.status >= 200 && response.status < 300;
    } catch (error) {
      attempt.error = describeFailure(error, controller.signal);
      return false;
    } finally {
      clearTimeout(timer);
      this.#aborts.delete(controller);
      attempt.durationMs = Math.round(performance.now() - started);
      this.deps.logger.debug({ delivery: delivery.id, ...attempt }, 'webhook attempt');
    }
  }

  #cancelRetry(id: string): void {
    clearTimeout(this.#retryTimers.get(id));
    this.#retryTimers.delete(id);
  }
}

function describeFailure(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return signal.reason instanceof Error ? signal.reason.message : 'aborted';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  return error instanceof Error ? (cause?.message ?? error.message) : String(error);
}
