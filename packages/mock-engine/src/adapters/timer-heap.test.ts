import { afterEach, describe, expect, it, vi } from 'vitest';
import { jobResult, type Job, type JobResult } from '../engine/ports/scheduler.js';
import { TimerHeapScheduler } from './timer-heap.js';

/** Lets finished jobs' answers be acted on (a macrotask: every pending microtask runs first). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A job handler whose answers the test gives, one job run at a time. */
function heldHandler() {
  const runs: { job: Job; answer(result: JobResult): void }[] = [];
  const handler = (job: Job) =>
    new Promise<JobResult>((resolve) => runs.push({ job, answer: resolve }));
  return { runs, handler };
}

const deliver = (id: string): Job => ({ kind: 'deliver', id });

/** A scheduler on `clock` whose job `d` (due at 1000) is running, waiting for its answer. */
async function jobRunning(clock: () => number = () => 1_000) {
  const scheduler = new TimerHeapScheduler(clock);
  const { runs, handler } = heldHandler();
  scheduler.start(handler);
  await scheduler.schedule(deliver('d'), 1_000);
  await scheduler.runDue();
  return { scheduler, runs };
}

describe('the timer-heap scheduler', () => {
  it('runs a job even when its timer fires before the clock says it is due', async () => {
    // The clock lags 40 ms behind the timers until the job has been looked at once.
    let lag = 40;
    const scheduler = new TimerHeapScheduler(() => Date.now() - lag);
    const ran = new Promise<string>((resolve) => {
      scheduler.start((job) => {
        resolve(job.id);
        return Promise.resolve(jobResult.done);
      });
    });
    await scheduler.schedule({ kind: 'end-task', id: 'late' }, Date.now() - lag + 5);
    setTimeout(() => (lag = 0), 20);
    expect(await ran).toBe('late');
    await scheduler.stop();
  });

  it('hands a failing job to onError and keeps running the others', async () => {
    const errors: unknown[] = [];
    const ran: string[] = [];
    const scheduler = new TimerHeapScheduler(Date.now, (error) => errors.push(error));
    scheduler.start((job) => {
      if (job.id === 'bad') return Promise.reject(new Error('boom'));
      ran.push(job.id);
      return Promise.resolve(jobResult.done);
    });
    await scheduler.schedule(deliver('bad'), Date.now() - 1);
    await scheduler.schedule(deliver('good'), Date.now() - 1);
    await scheduler.runDue();
    await scheduler.stop();
    expect(ran).toEqual(['good']);
    expect(errors).toEqual([new Error('boom')]);
  });

  it('moves a job scheduled twice instead of running it twice', async () => {
    let now = 1_000;
    const ran: string[] = [];
    const scheduler = new TimerHeapScheduler(() => now);
    scheduler.start((job) => Promise.resolve((ran.push(job.id), jobResult.done)));
    await scheduler.schedule(deliver('d'), 1_010);
    await scheduler.schedule(deliver('d'), 1_050);
    now = 1_020;
    await scheduler.runDue();
    expect(ran).toEqual([]);
    now = 1_050;
    await scheduler.runDue();
    expect(ran).toEqual(['d']);
    await scheduler.stop();
  });

  it('forgets a job that answers done', async () => {
    const { scheduler, runs } = await jobRunning();
    runs[0]!.answer(jobResult.done);
    await settle();
    expect(await scheduler.nextDueAt()).toBeUndefined();
    await scheduler.stop();
  });

  it('runs a job that answers retry again at the time it gives, not before', async () => {
    let now = 1_000;
    const { scheduler, runs } = await jobRunning(() => now);
    runs[0]!.answer(jobResult.retryAt(1_500));
    await settle();
    expect(await scheduler.nextDueAt()).toBe(1_500);
    now = 1_499;
    await scheduler.runDue();
    expect(runs).toHaveLength(1);
    now = 1_500;
    await scheduler.runDue();
    expect(runs.map((r) => r.job)).toEqual([deliver('d'), deliver('d')]);
    runs[1]!.answer(jobResult.done);
    await scheduler.stop();
  });

  it('runs a job that answers requeue again at once, and keeps it planned once stopped', async () => {
    const now = 1_000;
    const { scheduler, runs } = await jobRunning(() => now);
    runs[0]!.answer(jobResult.requeue);
    await settle();
    await scheduler.runDue();
    expect(runs).toHaveLength(2);

    // Stopping waits for the running job; what it answers then stays planned, and never runs.
    const stopped = scheduler.stop();
    runs[1]!.answer(jobResult.requeue);
    await stopped;
    expect(await scheduler.nextDueAt()).toBe(now);
    await scheduler.runDue();
    await settle();
    expect(runs).toHaveLength(2);
  });

  it('runs due jobs side by side: one waiting on its receiver holds back neither runDue nor the others', async () => {
    const scheduler = new TimerHeapScheduler(() => 1_000);
    const { runs, handler } = heldHandler();
    scheduler.start(handler);
    await scheduler.schedule(deliver('slow'), 1_000);
    await scheduler.schedule(deliver('fast'), 1_000);
    await scheduler.runDue();
    expect(runs.map((r) => r.job.id)).toEqual(['slow', 'fast']);
    runs[1]!.answer(jobResult.done);
    runs[0]!.answer(jobResult.done);
    await scheduler.stop();
  });

  it('lets a plan made while a job ran win over what the job answers', async () => {
    const { scheduler, runs } = await jobRunning();
    // The attempt being made planned the next one before its job answered.
    await scheduler.schedule({ kind: 'deliver', id: 'd', attempt: 2 }, 2_000);
    runs[0]!.answer(jobResult.retryAt(1_500));
    await settle();
    expect(await scheduler.nextDueAt()).toBe(2_000);
    await scheduler.stop();
  });

  it('drops what a job running during clear answers', async () => {
    const { scheduler, runs } = await jobRunning();
    await scheduler.clear();
    runs[0]!.answer(jobResult.retryAt(1_500));
    await settle();
    expect(await scheduler.nextDueAt()).toBeUndefined();
    await scheduler.stop();
  });

  it('stops without waiting for running jobs when forced', async () => {
    const { scheduler, runs } = await jobRunning();
    await scheduler.stop(true);
    expect(runs).toHaveLength(1);
    runs[0]!.answer(jobResult.done);
  });

  describe('on a clock that stands still', () => {
    afterEach(() => void vi.useRealTimers());

    it('arms no timer for a later job, and one for a job due now', async () => {
      vi.useFakeTimers();
      let now = 1_000;
      const scheduler = new TimerHeapScheduler(
        () => now,
        () => {},
        () => false,
      );
      const { runs, handler } = heldHandler();
      scheduler.start(handler);
      await scheduler.schedule(deliver('later'), 5_000);
      expect(vi.getTimerCount()).toBe(0);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(runs).toHaveLength(0);
      await scheduler.schedule(deliver('now'), 1_000);
      expect(vi.getTimerCount()).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(runs.map((r) => r.job.id)).toEqual(['now']);
      // Moved by its owner, who runs what is due then.
      now = 5_000;
      await scheduler.runDue();
      expect(runs.map((r) => r.job.id)).toEqual(['now', 'later']);
      expect(vi.getTimerCount()).toBe(0);
      await scheduler.stop(true);
    });
  });
});
