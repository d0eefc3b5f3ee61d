import { DelayedError, Queue, Worker, type ConnectionOptions, type Job as QueueJob } from 'bullmq';
import { unavailableError } from '../store/redis/unavailable.js';
import type { Job, JobHandler, Scheduler } from './types.js';

/** BullMQ's own retries of a job whose handler failed (Redis briefly away, a shutdown). */
const JOB_RETRIES = { attempts: 50, backoff: { type: 'fixed', delay: 1_000 } } as const;
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
  onError: (error: unknown) => void;
}

/**
 * Jobs on a BullMQ queue in Redis: planned work survives the instance that planned it. Each job
 * runs once, on whichever instance's worker takes it; a job whose instance dies mid-run is taken
 * again after its lock expires. A job's id is its kind, id and time, so the same plan added twice
 * is one job; the engine never plans one job at two times.
 */
export class BullMQScheduler implements Scheduler {
  readonly durable = true;
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
    this.#worker = new Worker(
      'jobs',
      async (job: QueueJob<Job>, token?: string) => {
        const notBefore = await handler(job.data);
        if (notBefore !== undefined) {
          // Taken before its time by this instance's clock: back to the queue until then.
          await job.moveToDelayed(Date.now() + Math.max(0, notBefore - now()), token);
          throw new DelayedError();
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
        jobId: `${job.kind}-${job.id}-${at}`,
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

  /** Forgets planned jobs (waiting and delayed); a job running now finishes. */
  clear(): Promise<void> {
    return this.#queue.drain(true);
  }

  /** Takes no more jobs and waits for the running ones (they end, or fail back to the queue). */
  async stop(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.close();
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
