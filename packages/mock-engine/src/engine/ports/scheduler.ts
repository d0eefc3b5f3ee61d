/**
 * Work that must happen later: end a task at its planned time, make attempt `attempt` of a
 * webhook delivery (absent: whichever is due).
 */
export type Job =
  { kind: 'end-task'; id: string } | { kind: 'deliver'; id: string; attempt?: number };

/**
 * Runs one due job; the engine's rules. Resolves with a time (ms since the epoch) when the job
 * came too early by the engine's clock: the scheduler runs it again then.
 */
export type JobHandler = (job: Job) => Promise<number | void>;

/**
 * Schedules jobs. A job is named by its kind and id: scheduling the same job again moves it, so
 * adding it twice is harmless (a job queue implements this with job ids derived from the task or
 * delivery id). The in-process timer heap is the default.
 */
export interface Scheduler {
  /**
   * Whether planned jobs outlive this process (a shared queue). A durable scheduler's handler
   * resolves only once the job's work is done, so a job whose process dies runs again elsewhere.
   */
  readonly durable: boolean;
  /** Starts running jobs as they fall due, with `handler`. */
  start(handler: JobHandler): void;
  /** Plans `job` for time `at` (ms since the epoch); replaces an earlier plan of the same job. */
  schedule(job: Job, at: number): Promise<void>;
  /** Runs every job due by now before resolving (reads call it so they never see stale state). */
  runDue(): Promise<void>;
  /** When the earliest planned job falls due, or `undefined` when none is planned. */
  nextDueAt(): Promise<number | undefined>;
  /** Forgets every planned job (reset). */
  clear(): Promise<void>;
  /** Stops running jobs; planned ones stay planned (a shared queue keeps them for others). */
  /**
   * `force`: returns without waiting for running jobs (the grace period is over, or the queue's
   * Redis is away); a shared queue hands them to another instance once their lock expires.
   */
  stop(force?: boolean): Promise<void>;
}
