import {
  DelayedError,
  Queue,
  WaitingError,
  Worker,
  type ConnectionOptions,
  type Job as QueueJob,
} from 'bullmq';
import { unavailableError } from '../redis/unavailable.js';
import type { Job, JobHandler, Scheduler } from '@eggapi/mock-engine/host';

/** BullMQ's own retries of a job whose handler failed (Redis briefly away, a shutdown). */
const JOB_RETRIES = { attempts: 50, backoff: { type: 'fixed', delay: 1_000 } } as const;
/** A job's id: what it does, so that planning it twice adds one job. */
function jobIdOf(job: Job, at: number): string {
  if (job.kind === 'deliver' && job.attempt !== undefined)
    return `deliver-${job.id}-${job.attempt}`;
  return `${job.kind}-${job.id}-${at}`;
}

/** Finished jobs are removed at once; failed ones (out of retries) kept for a look, up to this. */
const FAILED_KEPT = 1_000;

export interface BullMQSchedulerOptions {
  /** The queue's connection (commands fail fast when Redis is away). */
  queueConnection: ConnectionOptions;
  /** The worker's own connection options (blocking commands; retries forever). */
  workerConnection: ConnectionOptions;
  /** Key prefix: the queue's keys are `{prefix}:jobs:…`. */
  prefix: string;
  /** How long a job stays locked to a worker without a renewal: a dead instance's jobs run elsewhere after about twice this. */
  lockMs: number;
  /** Jobs run at once by this instance. */
  concurrency: number;
  now: () => number;
  /** Where the queue's connection errors go. */
  onError: (error: unknown) => void;
  /** Where a job whose run failed goes (BullMQ retries it). Default: `onError`. */
  onJobError?: (error: unknown) => void;
}

/**
 * Jobs on a BullMQ queue in Redis: planned work survives the instance that planned it. Each job
 * runs on whichever instance's worker takes it, and stays locked to it until its run answers; a
 * job whose instance dies (or stalls on Redis) mid-run is taken again after its lock expires, so
 * what a job does must be safe to do twice (the engine's rules are). A job's id names what it
 * does — a task's end at a time, a delivery's attempt number — so the same plan added twice is
 * one job. What a run answers (`JobResult`) moves the job: `retry` to the delayed set until its
 * time, `requeue` back to the waiting list for any worker; a failed run is retried by BullMQ.
 */
export class BullMQScheduler implements Scheduler {
  readonly #options: BullMQSchedulerOptions;
  readonly #queue: Queue;
  #worker: Worker | undefined;

  constructor(options: BullMQSchedulerOptions) {
    this.#options = options;
    this.#queue = new Queue('jobs', {
      connection: options.queueConnection,
      prefix: options.prefix,
    });
    this.#queue.on('error', options.onError);
  }

  start(handler: JobHandler): void {
    const { now, lockMs } = this.#options;
    const onJobError = this.#options.onJobError ?? this.#options.onError;
    this.#worker = new Worker(
      'jobs',
      async (job: QueueJob<Job>, token?: string) => {
        const result = await handler(job.data).catch((error: unknown) => {
          onJobError(error);
          throw error;
        });
        if (result.next === 'retry') {
          // Its time by the engine's clock, as this instance's wall clock says it.
          await job.moveToDelayed(Date.now() + Math.max(0, result.at - now()), token);
          throw new DelayedError();
        }
        if (result.next === 'requeue') {
          // This worker is closing: another instance's takes it (or this one after a restart).
          await job.moveToWait(token);
          throw new WaitingError();
        }
      },
      {
        connection: this.#options.workerConnection,
        prefix: this.#options.prefix,
        concurrency: this.#options.concurrency,
        lockDuration: lockMs,
        stalledInterval: lockMs,
        maxStalledCount: 10,
      },
    );
    // Connection trouble is reported by the store's health; the worker reconnects by itself.
    this.#worker.on('error', () => {});
  }

  async schedule(job: Job, at: number): Promise<void> {
    await this.#queue
      .add(job.kind, job, {
        jobId: jobIdOf(job, at),
        delay: Math.max(0, at - this.#options.now()),
        removeOnComplete: true,
        removeOnFail: FAILED_KEPT,
        ...JOB_RETRIES,
      })
      .catch((error: unknown) => {
        // The queue's connection is away: the API answers 503, as for the store.
        throw unavailableError(error, 'queue');
      });
  }

  /** Due jobs run on whichever instance takes them; reads settle due tasks themselves. */
  runDue(): Promise<void> {
    return Promise.resolve();
  }

  /** Planned jobs stay queued for other instances: shutdown does not wait for them. */
  nextDueAt(): Promise<number | undefined> {
    return Promise.resolve(undefined);
  }

  /**
   * Forgets planned jobs (waiting and delayed) and the failed ones kept for a look, whose ids a
   * new plan may reuse (seeded ids repeat after a reset); a job running now finishes.
   */
  async clear(): Promise<void> {
    await this.#queue.drain(true);
    await this.#queue.clean(0, 0, 'failed');
  }

  /**
   * Takes no more jobs and waits for the running ones (they end, or fail back to the queue).
   * `force`: does not wait (Redis is away, or the grace period is over); a job still running
   * is taken again by another worker once its lock expires.
   */
  async stop(force = false): Promise<void> {
    const worker = this.#worker;
    if (!worker) return;
    // Paused first (no Redis needed): a forced stop can still close it while this one waits.
    if (!force) await worker.pause();
    this.#worker = undefined;
    await worker.close(force);
  }

  /** Jobs in the shared queue by state: planned (`delayed`), due (`waiting`), running, failed. */
  async counts(): Promise<{ waiting: number; delayed: number; active: number; failed: number }> {
    const counts = await this.#queue.getJobCounts('wait', 'delayed', 'active', 'failed');
    return {
      waiting: counts.wait ?? 0,
      delayed: counts.delayed ?? 0,
      active: counts.active ?? 0,
      failed: counts.failed ?? 0,
    };
  }

  /** Closes the queue's connection (after `stop`). */
  close(): Promise<void> {
    return this.#queue.close();
  }
}
