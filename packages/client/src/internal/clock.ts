/**
 * The client's only contact with time and chance. Every wait (retry backoff, poll interval) and
 * every timer (request timeout, wait deadline) goes through this object, read at call time, so
 * tests can observe or compress time by replacing its members with `vi.spyOn(clock, …)`.
 */
export const clock = {
  /** Milliseconds since the epoch. */
  now: (): number => Date.now(),
  /** A number in [0, 1), for jitter. */
  random: (): number => Math.random(),
  /** Schedules `fn` after `ms` milliseconds. */
  setTimeout: (fn: () => void, ms: number): unknown => globalThis.setTimeout(fn, ms),
  /** Cancels a timer made by {@link clock.setTimeout}. */
  clearTimeout: (handle: unknown): void =>
    globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
  /**
   * Resolves after `ms` milliseconds; rejects with `onAbort()` as soon as `signal` aborts, leaving
   * no timer and no listener behind.
   */
  sleep(ms: number, signal: AbortSignal | undefined, onAbort: () => Error): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(onAbort());
      const abort = () => {
        clock.clearTimeout(timer);
        reject(onAbort());
      };
      const timer = clock.setTimeout(() => {
        signal?.removeEventListener('abort', abort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', abort, { once: true });
    });
  },
};
