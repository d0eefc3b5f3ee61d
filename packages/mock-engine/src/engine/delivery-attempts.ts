import { WEBHOOK_TIMESTAMP_HEADER } from '@eggapi/contracts';
import type { WebhookDeliveryConfig } from '../options.js';
import {
  describeFailure,
  excerptOf,
  inFlight,
  lostAt,
  type Delivery,
  type DeliveryAttempt,
  type Signer,
  type WebhookSender,
  withOutcome,
} from './deliveries.js';
import { EngineError } from './errors.js';
import { jobResult, type JobResult } from './ports/scheduler.js';
import type { MockStore } from './ports/store.js';
import type { EngineEvent } from './types.js';

/** What making and recording an attempt takes (see `WebhookDeliveriesDeps`). */
export interface AttemptDeps {
  store: MockStore;
  sign: Signer;
  send: WebhookSender;
  now: () => number;
  /** Signs every attempt when set; deliveries are unsigned otherwise, as upstream. */
  secret: string | undefined;
  /**
   * Beyond twice the receiver's timeout, how long an attempt without a recorded outcome is still
   * awaited before it counts as lost (`lostAt`).
   */
  inFlightGraceMs: number;
  emit: (event: EngineEvent) => void;
}

/** What ties attempts to the deliveries that start them: shutdown, reset, planning. */
export interface AttemptControl {
  /** Why shutdown stopped the attempts (none is sent any more), or `undefined` while running. */
  stopped(): Error | undefined;
  /**
   * A signal for one attempt on the wire, aborted by shutdown; `release` it when the attempt
   * ends. One per attempt, never one for all: a Worker runtime (workerd) refuses a signal made
   * during one request to abort I/O of another.
   */
  track(): { signal: AbortSignal; release(): void };
  /** Bumped by reset: attempts started before it drop their results. */
  generation(): number;
  /** Plans the job of what a pending delivery waits for next. */
  plan(delivery: Delivery, config: WebhookDeliveryConfig): Promise<void>;
}

/** Whether a store call failed because the store did not answer (its write may still land). */
const unreachable = (error: unknown) =>
  error instanceof EngineError && error.code === 'SERVICE_UNAVAILABLE';

/** A pause between tries to record an attempt's outcome while the store is unreachable. */
const RECORD_RETRY_MS = 200;

/**
 * The attempts of deliveries, exactly once also on a shared store with several instances: an
 * attempt is recorded — claimed, with a compare-and-set on the delivery record — before it is
 * sent, so a job run twice (a lost lock, a retried job) finds it taken and never sends it again;
 * its outcome is recorded once the receiver has answered, and upstream's policy (attempts,
 * backoff) decides what follows.
 */
export class DeliveryAttempts {
  readonly #deps: AttemptDeps;
  readonly #control: AttemptControl;

  constructor(deps: AttemptDeps, control: AttemptControl) {
    this.#deps = deps;
    this.#control = control;
  }

  /** One attempt of a delivery: claimed in the store, sent, its outcome recorded and planned. */
  async make(id: string, number: number | undefined): Promise<JobResult> {
    // Shut down while this attempt waited for a slot: never sent, so nothing is recorded; the
    // job goes back to the queue (for another instance, or the next start).
    if (this.#control.stopped()) return jobResult.requeue;
    const { store, now } = this.#deps;
    const generation = this.#control.generation();
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
      attempt.error = describeFailure(error);
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

    const tracked = this.#control.track();
    const signal = tracked.signal;
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
    } finally {
      tracked.release();
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
    // Sent this late, the attempt still ends (its timeout) with half the grace left to record its
    // outcome before it would count as lost: a stall that outlasts one timeout is waited out.
    const giveUpAt =
      lostAt(attempt, timeoutMs, this.#deps.inFlightGraceMs) -
      timeoutMs -
      this.#deps.inFlightGraceMs / 2;
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
    generation = this.#control.generation(),
  ): Promise<void> {
    const { store, now } = this.#deps;
    const giveUpAt =
      lostAt(outcome, webhooks.timeoutMs, this.#deps.inFlightGraceMs) -
      this.#deps.inFlightGraceMs / 3;
    let current: Delivery | undefined = read;
    for (;;) {
      // Reset while it was in flight: the delivery is forgotten, and so is this answer.
      if (generation !== this.#control.generation() || !current) return;
      const after = withOutcome(current, outcome, {
        config: webhooks,
        delivered,
        aborted: this.#control.stopped() !== undefined,
        now: now(),
      });
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
          if (after.state === 'pending') await this.#control.plan(after, webhooks);
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
}
