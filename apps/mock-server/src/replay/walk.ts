import type { TimingPreset } from '@eggapi/mock-engine';
import type { Step } from './recording.js';

/** How recorded gaps are scaled: `realistic` as recorded, `fast` a tenth, `instant` none. */
export function gapScale(timing: TimingPreset | object): number {
  if (timing === 'fast') return 0.1;
  if (timing === 'instant') return 0;
  return 1;
}

/**
 * The walk of one replayed task through its recorded answers, driven by polls on the mock's
 * clock: a poll moves one step on once the recorded gap between the current answer and the next
 * (scaled) has passed since the current one was first given, and the walk stays at the last.
 * From `endAt` on (a replayed task whose webhook is due), every poll gets the last answer.
 */
export class TaskWalk {
  #position = 0;
  #since: number;

  constructor(
    readonly steps: readonly Step[],
    readonly scale: number,
    startedAt: number,
    readonly endAt?: number,
  ) {
    this.#since = startedAt;
  }

  poll(now: number): Step {
    const last = this.steps.length - 1;
    if (this.endAt !== undefined && now >= this.endAt) this.#position = last;
    else if (this.#position < last) {
      const gap = this.steps[this.#position + 1]!.at - this.steps[this.#position]!.at;
      if (now - this.#since >= Math.max(0, gap) * this.scale) {
        this.#position += 1;
        this.#since = now;
      }
    }
    return this.steps[this.#position]!;
  }

  /** The answer now, without moving (lists and webhooks read it). */
  get current(): Step {
    return this.steps[this.#position]!;
  }
}
