import { MAX_TIMER_MS } from '../options.js';
import { clock } from './clock.js';

/**
 * An AbortController that aborts when a parent signal aborts or when a time limit passes,
 * whichever comes first. {@link dispose} removes the timer and the parent listener, so a finished
 * operation leaves nothing running.
 */
export class LinkedAbort {
  readonly #controller = new AbortController();
  readonly #parent: AbortSignal | undefined;
  #timer: unknown;
  #timedOut = false;

  /**
   * A scope over `parent` and `limitMs`, or `undefined` when there is nothing to abort on (no
   * parent, no limit): creating an AbortSignal and handing it to fetch has a real cost.
   */
  static over(parent: AbortSignal | undefined, limitMs: number): LinkedAbort | undefined {
    return parent === undefined && !Number.isFinite(limitMs)
      ? undefined
      : new LinkedAbort(parent, limitMs);
  }

  /** @param limitMs milliseconds until abort; `Infinity` for no limit. */
  constructor(parent: AbortSignal | undefined, limitMs: number) {
    this.#parent = parent;
    if (parent?.aborted) {
      this.#controller.abort(parent.reason);
      return;
    }
    parent?.addEventListener('abort', this.#onParentAbort, { once: true });
    if (Number.isFinite(limitMs)) {
      this.#timer = clock.setTimeout(() => {
        this.#timer = undefined;
        this.#timedOut = true;
        parent?.removeEventListener('abort', this.#onParentAbort);
        this.#controller.abort();
      }, limitMs);
    }
  }

  /** The signal to hand to fetch and sleeps. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Whether the time limit (not the parent) caused the abort. */
  get timedOut(): boolean {
    return this.#timedOut;
  }

  /** Clears the timer and unhooks the parent. Safe to call more than once. */
  dispose(): void {
    if (this.#timer !== undefined) clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#parent?.removeEventListener('abort', this.#onParentAbort);
  }

  readonly #onParentAbort = () => {
    this.dispose();
    this.#controller.abort(this.#parent?.reason);
  };
}

/**
 * Throws a RangeError unless `ms` is a positive number of milliseconds a timer can hold (at most
 * {@link MAX_TIMER_MS}), or `Infinity` for no limit.
 */
export function assertDuration(name: string, ms: number): void {
  if (typeof ms !== 'number' || Number.isNaN(ms) || ms <= 0) {
    throw new RangeError(
      `${name} must be a positive number of milliseconds (or Infinity for no limit), got ${String(ms)}`,
    );
  }
  if (ms > MAX_TIMER_MS && ms !== Infinity) {
    throw new RangeError(
      `${name} must be at most ${MAX_TIMER_MS} ms (2^31 - 1, about 24.8 days: the longest a timer can wait), or Infinity for no limit; got ${String(ms)}`,
    );
  }
}

/**
 * Throws a RangeError unless `ms` is a pause a timer can hold: a number from 0 to
 * {@link MAX_TIMER_MS}.
 */
export function assertPause(name: string, ms: number): void {
  if (typeof ms !== 'number' || !(ms >= 0 && ms <= MAX_TIMER_MS)) {
    throw new RangeError(
      `${name} must be a number of milliseconds from 0 to ${MAX_TIMER_MS}, got ${String(ms)}`,
    );
  }
}
