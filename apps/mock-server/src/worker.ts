import type { TimingConfig } from './config.js';
import { MinHeap } from './internal/min-heap.js';
import { randomFraction, type Random } from './internal/random.js';
import type { TaskScenario } from './scenarios.js';
import type { TaskRecord } from './store/task-record.js';

export interface WorkerDeps {
  now: () => number;
  random: Random;
  timing: () => TimingConfig;
  /** Looks a task up; evicted tasks are simply skipped. */
  find: (id: string) => TaskRecord | undefined;
  /** Called once when a task ends: bill it, record usage, send its webhook. */
  onEnded: (record: TaskRecord) => void;
}

type Plan = Pick<TaskRecord, 'startsAt' | 'endsAt' | 'failure' | 'pollsLeft'>;

/**
 * The in-process worker that runs `pending → processing → completed | failed`.
 *
 * A task's times are planned when it is created, so its status at any moment follows from the
 * clock; the worker only has to apply the effects of ending (usage, billing, webhook). It does
 * that lazily on every request (`settle`) and, for tasks nobody polls, from one timer armed for
 * the earliest planned end. In `instant` timing a task has therefore ended by the next request.
 */
export class Worker {
  readonly #heap = new MinHeap<string>();
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;
  #stopped = false;

  constructor(private readonly deps: WorkerDeps) {}

  /** The planned lifecycle of a new task under the current timing and its scenario. */
  plan(createdAt: number, scenario: TaskScenario = {}): Plan {
    const timing = this.deps.timing();
    const failure = scenario.fail;
    if (scenario.polls !== undefined) {
      return { startsAt: Infinity, endsAt: Infinity, failure, pollsLeft: scenario.polls };
    }
    const queueMs = scenario.queueMs ?? timing.queueMs;
    const spread = timing.jitter * timing.processingMs * randomFraction(this.deps.random);
    const processingMs = scenario.processingMs ?? Math.round(timing.processingMs + spread);
    const startsAt = createdAt + queueMs;
    return { startsAt, endsAt: startsAt + processingMs, failure, pollsLeft: undefined };
  }

  /** Registers a new task so that it ends on time. */
  track(record: TaskRecord): void {
    if (Number.isFinite(record.endsAt)) {
      this.#heap.push(record.endsAt, record.id);
      this.#arm();
    }
  }

  /** Ends every task whose planned end has passed. */
  settle(now = this.deps.now()): void {
    while ((this.#heap.peekKey() ?? Infinity) <= now) {
      const record = this.deps.find(this.#heap.pop()!);
      if (record && !record.ended && record.endsAt <= now) this.#end(record, record.endsAt);
    }
    this.#arm();
  }

  /** Counts one poll of a task; a `polls` scenario starts on the first and ends on the n-th. */
  poll(record: TaskRecord, now = this.deps.now()): void {
    if (record.ended || record.pollsLeft === undefined) return;
    if (!Number.isFinite(record.startsAt)) record.startsAt = now;
    record.pollsLeft -= 1;
    if (record.pollsLeft <= 0) this.#end(record, now);
  }

  /** Ends a task now, as completed or failed with `failure` (admin "complete/fail now"). */
  endNow(record: TaskRecord, failure: string | undefined, now = this.deps.now()): boolean {
    if (record.ended) return false;
    record.failure = failure;
    if (!Number.isFinite(record.startsAt) || record.startsAt > now) record.startsAt = now;
    this.#end(record, now);
    return true;
  }

  /** Forgets every scheduled end (reset). */
  clear(): void {
    this.#heap.clear();
    this.#arm();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #end(record: TaskRecord, at: number): void {
    record.endsAt = at;
    record.pollsLeft = undefined;
    record.ended = {
      status: record.failure === undefined ? 'completed' : 'failed',
      startedAt: Math.min(record.startsAt, at),
      completedAt: at,
    };
    this.deps.onEnded(record);
  }

  #arm(): void {
    const next = this.#heap.peekKey() ?? Infinity;
    if (this.#stopped || next === this.#timerAt) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = next;
    if (!Number.isFinite(next)) return;
    const delay = Math.max(0, next - this.deps.now());
    this.#timer = setTimeout(() => {
      this.#timerAt = Infinity;
      this.settle();
    }, delay);
    this.#timer.unref();
  }
}
