import type { Task } from '@eggapi/contracts';
import { APIUserAbortError, TaskFailedError, TaskTimeoutError } from './errors.js';
import { assertDuration, LinkedAbort } from './internal/abort.js';
import { clock } from './internal/clock.js';
import type { RequestOptions } from './options.js';

/** How long `tasks.wait()` waits by default: 5 minutes, as upstream's polling helper. */
export const DEFAULT_WAIT_TIMEOUT_MS = 300_000;
/** The first pause between polls… */
export const POLL_INTERVAL_INITIAL_MS = 500;
/** …grows by this factor after each poll… */
export const POLL_INTERVAL_FACTOR = 1.5;
/** …up to this cap. */
export const POLL_INTERVAL_MAX_MS = 5_000;

/**
 * The default pause before poll `n + 1` (`n` from 0): 500 ms, 750 ms, 1.1 s, 1.7 s, 2.5 s,
 * 3.8 s, then every 5 s. Short at first, since small images finish in seconds; capped, so a
 * long task costs one request per 5 s.
 */
export function defaultPollInterval(n: number): number {
  return Math.min(POLL_INTERVAL_INITIAL_MS * POLL_INTERVAL_FACTOR ** n, POLL_INTERVAL_MAX_MS);
}

/** Options of `tasks.wait()` and `run()`. */
export interface WaitOptions {
  /**
   * Milliseconds to wait for the task to finish, polls included; then `TaskTimeoutError`.
   * Default 300 000 (5 minutes); `Infinity` waits for ever.
   */
  timeout?: number;
  /**
   * Pause between polls in milliseconds: a fixed number, or a function of the poll index (from
   * 0). Default {@link defaultPollInterval}: 0.5 s growing ×1.5 per poll to a 5 s cap.
   */
  pollInterval?: number | ((n: number) => number);
  /** Aborts the wait (the poll in flight and the pause) with an `APIUserAbortError`. */
  signal?: AbortSignal;
  /** Called once for each status change, starting with the first status seen. */
  onProgress?: (task: Task) => void;
  /** Per-attempt time limit of each poll request. Defaults to the client's `timeout`. */
  requestTimeout?: number;
  /** Retries of each poll request. Defaults to the client's `maxRetries`. */
  maxRetries?: number;
  /** Extra headers on each poll request. */
  headers?: Record<string, string>;
}

/**
 * Polls until the task is `completed` (resolves with it) or `failed` (rejects with
 * `TaskFailedError`). Unknown statuses count as not finished. `seen` is a task already observed
 * (by `run()`): it is reported to `onProgress` and the first poll waits one interval.
 *
 * @throws TaskFailedError, TaskTimeoutError, APIUserAbortError, or a poll's own error
 */
export async function waitForTask(
  id: string,
  get: (options: RequestOptions) => Promise<Task>,
  options: WaitOptions = {},
  seen?: Task,
): Promise<Task> {
  const { timeout = DEFAULT_WAIT_TIMEOUT_MS, pollInterval = defaultPollInterval } = options;
  assertDuration('timeout', timeout);
  const interval = typeof pollInterval === 'number' ? () => pollInterval : pollInterval;
  if (options.signal?.aborted) throw new APIUserAbortError(options.signal.reason);

  const scope = new LinkedAbort(options.signal, timeout);
  const request: RequestOptions = {
    signal: scope.signal,
    timeout: options.requestTimeout,
    maxRetries: options.maxRetries,
    headers: options.headers,
  };
  let last: Task | undefined;
  const observe = (task: Task) => {
    if (task.status !== last?.status) options.onProgress?.(task);
    last = task;
  };
  try {
    if (seen) observe(seen);
    for (let n = 0; ; n++) {
      if (n > 0 || seen) {
        await clock.sleep(
          interval(seen ? n : n - 1),
          scope.signal,
          () => new APIUserAbortError(options.signal?.reason),
        );
      }
      const task = await get(request);
      observe(task);
      if (task.status === 'completed') return task;
      if (task.status === 'failed') throw new TaskFailedError(task);
    }
  } catch (error) {
    if (scope.timedOut && error instanceof APIUserAbortError) {
      throw new TaskTimeoutError(id, timeout, last);
    }
    throw error;
  } finally {
    scope.dispose();
  }
}
