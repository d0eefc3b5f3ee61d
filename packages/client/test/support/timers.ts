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
