import { MinHeap } from './min-heap.js';
import type { Job, JobHandler, Scheduler } from '../engine/ports/scheduler.js';

const keyOf = (job: Job) => `${job.kind}:${job.id}`;

/**
 * The in-process scheduler: a min-heap of planned jobs and one timer armed for the earliest.
 * Rescheduling a job leaves its old heap entry behind; it is skipped when popped (the plan map
 * says when the job is really due).
 */
export class TimerHeapScheduler implements Scheduler {
  readonly durable = false;
  readonly #heap = new MinHeap<Job>();
  readonly #plans = new Map<string, number>();
  #handler: JobHandler | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Infinity;
  #running: Promise<void> | undefined;

  constructor(
    private readonly now: () => number,
    /** Where a job's failure goes (it must never become an unhandled rejection). */
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  start(handler: JobHandler): void {
    this.#handler = handler;
    this.#arm();
  }

  schedule(job: Job, at: number): Promise<void> {
    this.#plans.set(keyOf(job), at);
    this.#heap.push(at, job);
    this.#arm();
    return Promise.resolve();
  }

  /** Runs due jobs one after another; concurrent callers share the same run. */
  runDue(): Promise<void> {
    if (!this.#handler || (this.#heap.peekKey() ?? Infinity) > this.now()) {
      return this.#running ?? Promise.resolve();
    }
    return (this.#running ??= this.#drain().finally(() => {
      this.#running = undefined;
      this.#arm();
    }));
  }

  nextDueAt(): Promise<number | undefined> {
    let next: number | undefined;
    for (const at of this.#plans.values()) if (next === undefined || at < next) next = at;
    return Promise.resolve(next);
  }

  clear(): Promise<void> {
    this.#heap.clear();
    this.#plans.clear();
    this.#arm();
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.#handler = undefined;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
    return Promise.resolve();
  }

  async #drain(): Promise<void> {
    while (this.#handler && (this.#heap.peekKey() ?? Infinity) <= this.now()) {
      const at = this.#heap.peekKey()!;
      const job = this.#heap.pop()!;
      const key = keyOf(job);
      if (this.#plans.get(key) !== at) continue;
      this.#plans.delete(key);
      try {
        const notBefore = await this.#handler(job);
        if (notBefore !== undefined && notBefore > at) await this.schedule(job, notBefore);
      } catch (error) {
        this.onError(error);
      }
    }
  }

  #arm(): void {
    const next = this.#heap.peekKey() ?? Infinity;
    if (!this.#handler || next === this.#timerAt) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = next;
    if (!Number.isFinite(next)) return;
    // A timer may fire a little before the clock says the job is due, and one further away than
    // a timer can hold fires early on purpose: either way, arm again for what is left.
    this.#timer = setTimeout(
      () => {
        this.#timerAt = Infinity;
        void this.runDue().finally(() => this.#arm());
      },
      Math.min(Math.max(0, next - this.now() + 1), 2 ** 31 - 1),
    );
    // Node's timers can let the process exit while a job waits; a browser's are plain numbers.
    (this.#timer as { unref?: () => void }).unref?.();
  }
}
