import type { Task } from '@eggapi/contracts';
import type { WithResponse } from './api-promise.js';
import { APIUserAbortError, TaskFailedError, TaskTimeoutError } from './errors.js';
import { assertDuration, assertPause, LinkedAbort } from './internal/abort.js';
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
 * The default pause after poll `n + 1` (`n` from 0): 500 ms, 750 ms, 1.1 s, 1.7 s, 2.5 s,
 * 3.8 s, then every 5 s. Short at first, since small images finish in seconds; capped, so a
 * long task costs one request per 5 s.
 */
export function defaultPollInterval(n: number): number {
  return Math.min(POLL_INTERVAL_INITIAL_MS * POLL_INTERVAL_FACTOR ** n, POLL_INTERVAL_MAX_MS);
}

/** Options of `tasks.wait()` and `run()`. */
export interface WaitOptions {
  /**
   * The overall limit: milliseconds to wait for the task to finish, polls and pauses included;
   * then `TaskTimeoutError`. Default 300 000 (5 minutes); `Infinity` waits for ever. At most
   * 2³¹ − 1 (a `RangeError` otherwise). In `run()` it counts from the task's creation.
   */
  waitTimeout?: number;
  /**
   * Per-request time limit of each poll (and of `run()`'s `generate()` call), as everywhere in
   * the client. Defaults to the client's `timeout`.
   *
   * Changed in 0.2: in 0.1 `timeout` here was the overall limit, now `waitTimeout`.
   */
  timeout?: number;
  /** @deprecated Since 0.2, the same as `timeout` (per request), which wins when both are set. */
  requestTimeout?: number;
  /**
   * Pause between polls in milliseconds: a fixed number, or a function of the pause index (from
   * 0). Default {@link defaultPollInterval}: 0.5 s growing ×1.5 per poll to a 5 s cap. The first
   * poll is never delayed. Values outside 0 … 2³¹ − 1 are a `RangeError`.
   */
  pollInterval?: number | ((n: number) => number);
  /** Aborts the wait (the poll in flight and the pause) with an `APIUserAbortError`. */
  signal?: AbortSignal;
  /** Called once for each status change, starting with the first status seen. */
  onProgress?: (task: Task) => void;
  /** Retries of each poll request. Defaults to the client's `maxRetries`. */
  maxRetries?: number;
  /** Extra headers on each poll request. */
  headers?: Record<string, string>;
}

/**
 * The wait's overall limit and its pause function, checked: call it before anything is sent.
 * @throws RangeError for a `waitTimeout` or a fixed `pollInterval` a timer cannot hold
 */
export function waitSchedule(options: WaitOptions): {
  waitTimeout: number;
  interval: (n: number) => number;
} {
  const { waitTimeout = DEFAULT_WAIT_TIMEOUT_MS, pollInterval = defaultPollInterval } = options;
  assertDuration('waitTimeout', waitTimeout);
  if (typeof pollInterval === 'number') assertPause('pollInterval', pollInterval);
  const interval = (n: number): number => {
    const ms = typeof pollInterval === 'number' ? pollInterval : pollInterval(n);
    assertPause('pollInterval', ms);
    return ms;
  };
  return { waitTimeout, interval };
}

/**
 * Polls until the task is `completed` (resolves with it and the answer it came in) or `failed`
 * (rejects with `TaskFailedError`). Unknown statuses count as not finished. The first poll is
 * sent at once, then the pauses of `pollInterval`. `seen` is an answer already observed (by
 * `run()`, the creation): it is reported to `onProgress`, and ends the wait if it is final.
 *
 * @throws TaskFailedError, TaskTimeoutError, APIUserAbortError, or a poll's own error
 * @throws RangeError for a `waitTimeout` or `pollInterval` a timer cannot hold
 */
export async function waitForTask(
  id: string,
  get: (options: RequestOptions) => Promise<WithResponse<Task>>,
  options: WaitOptions = {},
  seen?: WithResponse<Task>,
): Promise<WithResponse<Task>> {
  const { waitTimeout, interval } = waitSchedule(options);
  if (options.signal?.aborted) throw new APIUserAbortError(options.signal.reason);

  let last: Task | undefined;
  const observe = (answer: WithResponse<Task>): WithResponse<Task> | undefined => {
    const task = answer.data;
    if (task.status !== last?.status) options.onProgress?.(task);
    last = task;
    if (task.status === 'failed') throw new TaskFailedError(task);
    return task.status === 'completed' ? answer : undefined;
  };
  const done = seen && observe(seen);
  if (done) return done;

  const scope = new LinkedAbort(options.signal, waitTimeout);
  const request: RequestOptions = {
    signal: scope.signal,
    timeout: options.timeout ?? options.requestTimeout,
    maxRetries: options.maxRetries,
    headers: options.headers,
  };
  try {
    for (let n = 0; ; n++) {
      if (n > 0) {
        await clock.sleep(
          interval(n - 1),
          scope.signal,
          () => new APIUserAbortError(options.signal?.reason),
        );
      }
      const finished = observe(await get(request));
      if (finished) return finished;
    }
  } catch (error) {
    if (scope.timedOut && error instanceof APIUserAbortError) {
      throw new TaskTimeoutError(id, waitTimeout, last);
    }
    throw error;
  } finally {
    scope.dispose();
  }
}
