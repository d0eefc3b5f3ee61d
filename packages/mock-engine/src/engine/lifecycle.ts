import type { TimingConfig } from '../options.js';
import { randomFraction, type Random } from '../internal/random.js';
import type { TaskScenario } from './scenarios.js';
import type { TaskEnd, TaskRecord } from './task-record.js';

type Plan = Pick<TaskRecord, 'startsAt' | 'endsAt' | 'failure' | 'pollsLeft'>;

/**
 * The planned lifecycle of a new task under `timing` and its scenario: when it starts and ends,
 * and how. A task's status at any moment then follows from the clock (`statusAt`); only the
 * effects of ending (usage, billing, the webhook) have to be applied, once.
 */
export function planLifecycle(
  createdAt: number,
  timing: TimingConfig,
  random: Random,
  scenario: TaskScenario = {},
): Plan {
  const failure = scenario.fail;
  if (scenario.polls !== undefined) {
    return { startsAt: Infinity, endsAt: Infinity, failure, pollsLeft: scenario.polls };
  }
  const queueMs = scenario.queueMs ?? timing.queueMs;
  const spread = timing.jitter * timing.processingMs * randomFraction(random);
  const processingMs = scenario.processingMs ?? Math.round(timing.processingMs + spread);
  const startsAt = createdAt + queueMs;
  return { startsAt, endsAt: startsAt + processingMs, failure, pollsLeft: undefined };
}

/** How `record` ends at time `at`, with `failure` (`undefined` completes it). */
export function endOf(record: TaskRecord, at: number, failure = record.failure): TaskEnd {
  const startsAt = Number.isFinite(record.startsAt) ? record.startsAt : at;
  return {
    status: failure === undefined ? 'completed' : 'failed',
    startedAt: Math.min(startsAt, at),
    completedAt: at,
    failure,
  };
}
