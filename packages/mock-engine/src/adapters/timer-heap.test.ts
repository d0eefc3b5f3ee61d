import { describe, expect, it } from 'vitest';
import { TimerHeapScheduler } from './timer-heap.js';

describe('the timer-heap scheduler', () => {
  it('runs a job even when its timer fires before the clock says it is due', async () => {
    // The clock lags 40 ms behind the timers until the job has been looked at once.
    let lag = 40;
    const scheduler = new TimerHeapScheduler(() => Date.now() - lag);
    const ran = new Promise<string>((resolve) => {
      scheduler.start((job) => {
        resolve(job.id);
        return Promise.resolve();
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
      return Promise.resolve();
    });
    await scheduler.schedule({ kind: 'deliver', id: 'bad' }, Date.now() - 1);
    await scheduler.schedule({ kind: 'deliver', id: 'good' }, Date.now() - 1);
    await scheduler.runDue();
    expect(ran).toEqual(['good']);
    expect(errors).toEqual([new Error('boom')]);
    await scheduler.stop();
  });

  it('moves a job scheduled twice instead of running it twice', async () => {
    let now = 1_000;
    const ran: string[] = [];
    const scheduler = new TimerHeapScheduler(() => now);
    scheduler.start((job) => Promise.resolve(void ran.push(job.id)));
    await scheduler.schedule({ kind: 'deliver', id: 'd' }, 1_010);
    await scheduler.schedule({ kind: 'deliver', id: 'd' }, 1_050);
    now = 1_020;
    await scheduler.runDue();
    expect(ran).toEqual([]);
    now = 1_050;
    await scheduler.runDue();
    expect(ran).toEqual(['d']);
    await scheduler.stop();
  });
});
