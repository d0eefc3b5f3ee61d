import type { ClockView, MockClock } from '../clock.js';
import { EngineError } from './errors.js';
import type { Scheduler } from './ports/scheduler.js';

/**
 * How often the walk may find work still due at one instant before it moves on: a scheduler that
 * no longer runs jobs (after shutdown) would otherwise hold it there for ever.
 */
const MAX_PASSES_AT_ONE_INSTANT = 8;

/** What the walk drives: the planned work, and what runs what is due (`EngineJobs.runDue`). */
export interface WalkDeps {
  clock: MockClock;
  scheduler: Scheduler;
  /** Applies everything due by the clock and resolves once it has all happened. */
  runDue: () => Promise<void>;
  /** Whether other instances share the state (and run planned work on Redis's time). */
  shared: () => boolean;
}

/**
 * Moves the mock's clock forward step by step: to each planned job's due time in turn, running
 * what is due there to its end (task ends, webhook attempts awaited), so that what those plan
 * inside the step (the retries of their backoff) is walked too, and every timestamp is the
 * time it was due. Steps are taken one after the other, never side by side.
 */
export class ClockWalk {
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: WalkDeps) {}

  /**
   * Moves the clock `ms` forward and resolves, with the clock's view, once everything then due
   * has happened. A step asked for while another is under way starts when that one has ended.
   *
   * @throws RangeError for a step that is not a whole number of ms from 0 to a year
   * @throws EngineError CONFLICT with a shared store (Redis): its planned work runs on Redis's
   *   time, across instances
   */
  advance(ms: number): Promise<ClockView> {
    const step = this.#queue.then(() => this.#walk(ms));
    this.#queue = step.catch(() => {});
    return step;
  }

  async #walk(ms: number): Promise<ClockView> {
    const { clock, scheduler, runDue, shared } = this.deps;
    const target = clock.targetOf(ms);
    if (shared()) {
      throw new EngineError(
        'CONFLICT',
        'the clock cannot be moved with a shared store (Redis): planned work runs on Redis time across instances; use the memory store to move the clock',
      );
    }
    let previous: number | undefined;
    let passes = 0;
    for (;;) {
      const next = await scheduler.nextDueAt();
      if (next === undefined || next > target) break;
      passes = next === previous ? passes + 1 : 0;
      if (passes >= MAX_PASSES_AT_ONE_INSTANT) break;
      previous = next;
      clock.moveTo(next);
      await runDue();
    }
    clock.moveTo(target);
    await runDue();
    return clock.view();
  }
}
