import type { EngineCore } from './core.js';
import type { Job, JobResult } from './ports/scheduler.js';
import type { TaskLifecycle } from './task-lifecycle.js';

/**
 * The engine's side of its scheduler: what each job does (a task's planned end, a webhook
 * attempt) and what it answers, and the catching up every read does first.
 */
export class EngineJobs {
  /** Task ends that jobs have started and not finished (reads wait for them). */
  readonly #ends = new Set<Promise<unknown>>();

  constructor(
    private readonly core: EngineCore,
    private readonly lifecycle: TaskLifecycle,
  ) {}

  /** Starts taking jobs as they fall due. */
  start(): void {
    this.core.scheduler.start((job) => this.#run(job));
  }

  /**
   * Starts the jobs due by now and waits for the task ends running (their usage, refunds and
   * deliveries), then starts the attempts those ends planned: what every read sees first. It
   * never waits for a webhook receiver, nor for ends that start meanwhile (a shared queue's
   * worker may keep starting them).
   */
  async applyDue(): Promise<void> {
    await this.core.scheduler.runDue();
    if (this.#ends.size === 0) return;
    await Promise.allSettled([...this.#ends]);
    await this.core.scheduler.runDue();
  }

  /** As `applyDue`, again until no task end is running: what a flush waits for (shutdown). */
  async applyAllDue(): Promise<void> {
    do await this.applyDue();
    while (this.#ends.size > 0);
  }

  /**
   * Applies everything due and resolves once no task end is running and no webhook attempt is
   * in flight or waiting for a slot (see `MockEngine.runDue`).
   */
  async runDue(): Promise<void> {
    const { webhooks } = this.core;
    for (;;) {
      await this.applyAllDue();
      if (webhooks.inFlight + webhooks.queued === 0) return;
      await webhooks.settled();
    }
  }

  #run(job: Job): Promise<JobResult> {
    if (job.kind === 'deliver') return this.core.webhooks.start(job.id, job.attempt);
    const ending = this.lifecycle.endDue(job.id);
    this.#ends.add(ending);
    const forget = () => this.#ends.delete(ending);
    ending.then(forget, forget);
    return ending;
  }
}
