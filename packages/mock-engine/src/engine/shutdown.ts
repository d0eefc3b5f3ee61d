import { finishesWithin, withDeadline } from '../internal/deadline.js';
import { MAX_DURATION_MS } from '../options.js';
import type { EngineCore } from './core.js';
import type { EngineJobs } from './jobs.js';
import type { Sweeper } from './sweep.js';
import type { ShutdownReport } from './types.js';

/** At shutdown, how long aborted webhook attempts may take to let go, and a forced close to finish. */
const ABORT_RESERVE_MS = 1_000;

/**
 * Stops the engine within `graceMs` and reports what was left undone (see `MockEngine.shutdown`).
 * A private store's work dies with the process, so it finishes what it can first; a shared
 * store's stays planned for the other instances (`MockStore.shared`).
 */
export async function shutdown(
  core: EngineCore,
  jobs: EngineJobs,
  sweeper: Sweeper,
  graceMs: number,
): Promise<ShutdownReport> {
  if (!Number.isInteger(graceMs) || graceMs < 0 || graceMs > MAX_DURATION_MS) {
    throw new TypeError(
      `graceMs must be a whole number of milliseconds from 0 to ${MAX_DURATION_MS}, got ${graceMs}`,
    );
  }
  core.emit({ type: 'shutdown' });
  sweeper.stop();
  return core.store.shared ? handOver(core, graceMs) : finish(core, jobs, graceMs);
}

/**
 * With a private store: runs what falls due within `graceMs` (attempts in flight, retries, task
 * ends), then aborts what still runs, stops, and reports what is abandoned. With `graceMs: 0`
 * it abandons at once.
 */
async function finish(
  core: EngineCore,
  jobs: EngineJobs,
  graceMs: number,
): Promise<ShutdownReport> {
  const { options, scheduler, webhooks, store } = core;
  // A clock that stands still brings nothing more due: the grace period is then real time, for
  // the attempts in flight only.
  const passes = options.mockClock.passes;
  const clock = passes ? options.now : () => performance.now();
  const deadline = clock() + graceMs;
  for (;;) {
    await jobs.applyAllDue();
    const now = clock();
    const next = passes ? await scheduler.nextDueAt() : undefined;
    const busy = webhooks.inFlight + webhooks.queued > 0;
    const dueInGrace = next !== undefined && next <= deadline;
    if (now >= deadline || (!busy && !dueInGrace)) break;
    const wake = Math.max(0, Math.min(deadline, next ?? Infinity) - now);
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      busy ? webhooks.settled() : new Promise(() => {}),
      new Promise((resolve) => (timer = setTimeout(resolve, wake))),
    ]);
    clearTimeout(timer);
  }
  const stopped = scheduler.stop();
  await webhooks.abort();
  await stopped;
  return {
    unendedTasks: await store.tasks.unended(),
    undeliveredWebhooks: (await store.deliveries.pending()).map((d) => d.id),
  };
}

/**
 * With a shared store: takes no more jobs, lets the attempts in flight finish within `graceMs`,
 * then aborts the rest. Nothing is abandoned: planned work stays queued, and an aborted attempt
 * is due again at once, for the other instances or the next start. Bounded by the grace period
 * whatever the store does: past it, the scheduler stops without waiting (its jobs move on once
 * their locks expire) and what could not be read is reported as unknown (`incomplete`).
 */
async function handOver(core: EngineCore, graceMs: number): Promise<ShutdownReport> {
  const { scheduler, webhooks, store } = core;
  const deadline = performance.now() + graceMs;
  const left = () => Math.max(0, deadline - performance.now());
  const stopped = scheduler.stop();
  // The last part of the grace period (up to a second) is for aborting and closing.
  const reserve = Math.min(ABORT_RESERVE_MS, graceMs / 2);
  if (!(await finishesWithin(stopped, left() - reserve))) {
    await webhooks.abort();
    if (!(await finishesWithin(stopped, Math.max(left(), ABORT_RESERVE_MS)))) {
      // The store is away: stop without waiting for the running jobs' last writes.
      await finishesWithin(scheduler.stop(true), ABORT_RESERVE_MS);
    }
  } else await webhooks.abort();
  let complete = true;
  const report = async <T>(read: () => Promise<T[]>): Promise<T[]> => {
    // However long the grace period was, the report gets a second to read what was left.
    const listed = await withDeadline(read(), Math.max(left(), 1_000)).catch(() => undefined);
    if (listed === undefined) complete = false;
    return listed ?? [];
  };
  const unendedTasks = await report(() => store.tasks.unended());
  const pending = await report(() => store.deliveries.pending());
  return {
    unendedTasks,
    undeliveredWebhooks: pending.map((d) => d.id),
    ...(complete ? {} : { incomplete: true }),
  };
}
