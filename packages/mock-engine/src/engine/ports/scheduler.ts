/**
 * Work that must happen later: end a task at its planned time, make attempt `attempt` of a
 * webhook delivery (absent: whichever is due).
 */
export type Job =
  { kind: 'end-task'; id: string } | { kind: 'deliver'; id: string; attempt?: number };

/**
 * What a job's run tells its scheduler to do with the job; the engine never asks which scheduler
 * runs it.
 * - `done`: the job is over; forget it.
 * - `retry`: it came too early by the engine's clock, or waits for something that may still
 *   change (an attempt on the wire elsewhere): run it again at `at` (ms since the epoch).
 * - `requeue`: this worker cannot run it now (it is shutting down): hand it back at once, for
 *   another worker or the next start. A scheduler with no other worker keeps it planned.
 *
 * A job whose run fails (its promise rejects) is the scheduler's to report, and to retry (a
 * queue that outlives the failure) or drop.
 */
export type JobResult =
  | { readonly next: 'done' }
  | { readonly next: 'retry'; readonly at: number }
  | { readonly next: 'requeue' };

/** The results a job handler answers with. */
export const jobResult = {
  done: { next: 'done' } as JobResult,
  requeue: { next: 'requeue' } as JobResult,
  retryAt: (at: number): JobResult => ({ next: 'retry', at }),
};

/**
 * Runs one job to its end and answers what to do with it; the engine's rules. A webhook attempt
 * resolves only once its receiver has answered and the outcome is recorded, so that a job whose
 * worker dies meanwhile runs again elsewhere (a shared queue keeps it locked until then).
 */
export type JobHandler = (job: Job) => Promise<JobResult>;

/**
 * Schedules jobs. A job is named by its kind and id: scheduling the same job again moves it, so
 * adding it twice is harmless (a job queue implements this with job ids derived from the task or
 * delivery id). Jobs run side by side: one that waits for a webhook receiver holds back no other.
 * The in-process timer heap is the default.
 */
export interface Scheduler {
  /** Starts running jobs as they fall due, with `handler`, and acting on what each answers. */
  start(handler: JobHandler): void;
  /** Plans `job` for time `at` (ms since the epoch); replaces an earlier plan of the same job. */
  schedule(job: Job, at: number): Promise<void>;
  /**
   * Starts every job due by now, and resolves once they have started, not finished: reads call
   * it, and a read must never wait for a webhook receiver (the engine waits for the task ends it
   * needs itself). A queue whose jobs run on any instance's worker starts nothing here.
   */
  runDue(): Promise<void>;
  /** When the earliest planned job falls due, or `undefined` when none is planned (or known). */
  nextDueAt(): Promise<number | undefined>;
  /** Forgets every planned job (reset); what a job running now answers is dropped. */
  clear(): Promise<void>;
  /**
   * Takes no more jobs, and resolves once the running ones have finished; planned ones stay
   * planned (a shared queue keeps them for the other instances). `force`: returns without waiting
   * for running jobs (the grace period is over, or the queue's Redis is away); a shared queue
   * hands them to another instance once their lock expires.
   */
  stop(force?: boolean): Promise<void>;
}
