import { vi } from 'vitest';
import { clock } from '../../src/internal/clock.js';

/**
 * Spies on the client's clock: records every sleep it asks for and resolves it at once (abort
 * still rejects), and counts timers the client has scheduled but neither fired nor cleared.
 * Restore with `vi.restoreAllMocks()`.
 */
export function instrumentClock() {
  const sleeps: number[] = [];
  const pending = new Set<unknown>();
  const realSet = clock.setTimeout;
  const realClear = clock.clearTimeout;
  vi.spyOn(clock, 'setTimeout').mockImplementation((fn, ms) => {
    const handle: unknown = realSet(() => {
      pending.delete(handle);
      fn();
    }, ms);
    pending.add(handle);
    return handle;
  });
  vi.spyOn(clock, 'clearTimeout').mockImplementation((handle) => {
    pending.delete(handle);
    realClear(handle);
  });
  return {
    sleeps,
    /** Timers scheduled by the client and still pending. */
    get pendingTimers() {
      return pending.size;
    },
    /** Makes every sleep instant (recording its length); `hook` runs first, e.g. to restart a server. */
    instantSleeps(hook?: (ms: number) => void | Promise<void>) {
      vi.spyOn(clock, 'sleep').mockImplementation(async (ms, signal, onAbort) => {
        sleeps.push(ms);
        await hook?.(ms);
        if (signal?.aborted) throw onAbort();
      });
    },
  };
}

/** A timer the client scheduled through its clock, held until the test fires it. */
export interface HeldTimer {
  ms: number;
  fired: boolean;
  cleared: boolean;
  /** Runs the timer's callback now, as if its time had come. */
  fire(): void;
}

/**
 * Replaces the client's timers (request timeouts, wait deadlines, and sleeps built on them) with
 * held ones that never fire by themselves: the test fires them, so no test depends on how fast
 * the machine is. Restore with `vi.restoreAllMocks()`.
 */
export function holdTimers() {
  const timers: HeldTimer[] = [];
  vi.spyOn(clock, 'setTimeout').mockImplementation((fn, ms) => {
    const timer: HeldTimer = {
      ms,
      fired: false,
      cleared: false,
      fire() {
        if (timer.fired || timer.cleared) throw new Error(`timer of ${ms} ms is not pending`);
        timer.fired = true;
        fn();
      },
    };
    timers.push(timer);
    return timer;
  });
  vi.spyOn(clock, 'clearTimeout').mockImplementation((handle) => {
    (handle as HeldTimer).cleared = true;
  });
  return {
    timers,
    /** Timers neither fired nor cleared. */
    get pending(): HeldTimer[] {
      return timers.filter((t) => !t.fired && !t.cleared);
    },
    /** The one pending timer of `ms` milliseconds (throws unless there is exactly one). */
    pendingOf(ms: number): HeldTimer {
      const found = timers.filter((t) => t.ms === ms && !t.fired && !t.cleared);
      if (found.length !== 1) throw new Error(`${found.length} pending timers of ${ms} ms`);
      return found[0]!;
    },
  };
}
