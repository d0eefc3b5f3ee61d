/**
 * How the mock's time passes: `real` follows the wall clock (or the injected `now`, and so fake
 * timers); `virtual` stands still until a test moves it.
 */
export type ClockMode = 'real' | 'virtual';

export const CLOCK_MODES = ['real', 'virtual'] as const satisfies readonly ClockMode[];

/** The mock's clock as the admin API and the test controls show it. */
export interface ClockView {
  /** The mock's time, ISO 8601 (what `created_at` and every other timestamp follow). */
  now: string;
  mode: ClockMode;
}

/** The longest single step of the clock: a year, in milliseconds. */
export const MAX_CLOCK_STEP_MS = 365 * 24 * 60 * 60 * 1_000;

/** The latest time a `Date` can hold (ms since the epoch): the clock never passes it. */
const MAX_DATE_MS = 8.64e15;

/**
 * The one clock of a mock: what `options.now` reads. In `real` mode it is the source (the
 * injected `now`, else `Date.now()`, read at each call so that fake timers move it) plus the
 * offset that moving it forward adds; in `virtual` mode it starts at the source's time when it is
 * first read (a Worker runtime's clock stands at 0 in its global scope, where a handler may be
 * made) and moves only when it is moved. It never goes back.
 */
export class MockClock {
  #offset = 0;
  #virtualNow: number | undefined;

  constructor(
    readonly mode: ClockMode,
    private readonly source: () => number = () => Date.now(),
  ) {}

  /** The mock's time, in ms since the epoch; bound, so it can be passed around as `now`. */
  readonly now = (): number =>
    this.mode === 'virtual' ? (this.#virtualNow ??= this.source()) : this.source() + this.#offset;

  /** Whether time passes by itself (`real`): timers then bring planned work due. */
  get passes(): boolean {
    return this.mode === 'real';
  }

  /** Moves the clock forward to `at` (ms since the epoch); a time already passed changes nothing. */
  moveTo(at: number): void {
    const now = this.now();
    if (!(at > now)) return;
    if (this.mode === 'virtual') this.#virtualNow = at;
    else this.#offset += at - now;
  }

  view(): ClockView {
    return { now: new Date(this.now()).toISOString(), mode: this.mode };
  }

  /**
   * Where a step of `ms` from now would take the clock.
   *
   * @throws RangeError unless `ms` is a whole number of milliseconds from 0 to a year, or when
   *   the step would take the clock past the latest time a date can hold
   */
  targetOf(ms: number): number {
    if (!Number.isInteger(ms) || ms < 0 || ms > MAX_CLOCK_STEP_MS) {
      throw new RangeError(
        `the clock moves by a whole number of milliseconds from 0 to ${MAX_CLOCK_STEP_MS} (a year), got ${String(ms)}`,
      );
    }
    const target = this.now() + ms;
    if (target > MAX_DATE_MS) {
      throw new RangeError(`the clock cannot move past ${new Date(MAX_DATE_MS).toISOString()}`);
    }
    return target;
  }
}
