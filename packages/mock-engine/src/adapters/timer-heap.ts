import { MinHeap } from './min-heap.js';
import type { Job, JobHandler, JobResult, Scheduler } from '../engine/ports/scheduler.js';

const keyOf = (job: Job) => `${job.kind}:${job.id}`;

/**
 * The in-process scheduler: a min-heap of planned jobs and one timer armed for the earliest.
 * Due jobs run side by side; what each answers is acted on when it finishes (`JobResult`).
 * Rescheduling a job leaves its old heap entry behind; it is skipped when popped (the plan map
 * says when the job is really due).
 */
export class TimerHeapScheduler implements Scheduler {
  readonly #heap = new MinHeap<Job>();
  readonly #plans = new Map<string, number>();
  readonly #running = new Set<Promise<void>>();
  #handler: JobHandler | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Infinity;
  /** Bumped by `clear`: jobs started before it have their answers dropped. */
  #generation = 0;

  constructor(
    private readonly now: () => number,
    /** Where a job's failure goes (it must never become an unhandled rejection). */
    private readonly onError: (error: unknown) => void = () => {},
    /**
     * Whether `now` passes by itself. When it stands still (a virtual clock, moved by its owner,
     * who then calls `runDue`), only work already due gets a timer: no later job ever falls due
     * by itself.
     */
    private readonly timePasses: () => boolean = () => true,
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

  /** Starts every due job; resolves at once (the jobs run on). */
  runDue(): Promise<void> {
    const handler = this.#handler;
    while (handler && (this.#heap.peekKey() ?? Infinity) <= this.now()) {
      const at = this.#heap.peekKey()!;
      const job = this.#heap.pop()!;
      const key = keyOf(job);
      if (this.#plans.get(key) !== at) continue;
      this.#plans.delete(key);
      this.#run(handler, job);
    }
    this.#arm();
    return Promise.resolve();
  }

  nextDueAt(): Promise<number | undefined> {
    let next: number | undefined;
    for (const at of this.#plans.values()) if (next === undefined || at < next) next = at;
    return Promise.resolve(next);
  }

  clear(): Promise<void> {
    this.#generation++;
    this.#heap.clear();
    this.#plans.clear();
    this.#arm();
    return Promise.resolve();
  }

  async stop(force = false): Promise<void> {
    this.#handler = undefined;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
    if (!force) await Promise.all([...this.#running]);
  }

  #run(handler: JobHandler, job: Job): void {
    const generation = this.#generation;
    const run = (async () => {
      let result: JobResult;
      try {
        result = await handler(job);
      } catch (error) {
        this.onError(error);
        return;
      }
      // A plan made while the job ran (a redelivery, the next attempt), or a reset, wins.
      if (generation !== this.#generation || this.#plans.has(keyOf(job))) return;
      if (result.next === 'retry') await this.schedule(job, result.at);
      // Back in the heap at once: the timer runs it on a later turn (after `stop`, never).
      else if (result.next === 'requeue') await this.schedule(job, this.now());
    })();
    this.#running.add(run);
    void run.finally(() => this.#running.delete(run));
  }

  #arm(): void {
    const next = this.#heap.peekKey() ?? Infinity;
    if (!this.#handler || next === this.#timerAt) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = next;
    if (!Number.isFinite(next)) return;
    if (!this.timePasses() && next > this.now()) {
      // Not armed: whoever moves the clock to it runs it.
      this.#timerAt = Infinity;
      return;
    }
    // A timer may fire a little before the clock says the job is due, and one further away than
    // a timer can hold fires early on purpose: either way, arm again for what is left.
    this.#timer = setTimeout(
      () => {
        this.#timerAt = Infinity;
        void this.runDue();
      },
      Math.min(Math.max(0, next - this.now() + 1), 2 ** 31 - 1),
    );
    // Node's timers can let the process exit while a job waits; a browser's are plain numbers.
    (this.#timer as { unref?: () => void }).unref?.();
  }
}
