import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from './concurrency-limit.js';

/** A task the test finishes by hand. */
function held() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { run: () => done, finish };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('the concurrency limit', () => {
  it('starts waiting attempts at once, in order, when the limit grows; respects a smaller limit', async () => {
    let limit = 1;
    const queue = new ConcurrencyLimit(() => limit);
    const started: number[] = [];
    const attempts = Array.from({ length: 5 }, () => held());
    const runs = attempts.map((a, i) =>
      queue.run(() => {
        started.push(i);
        return a.run();
      }),
    );
    await turn();
    expect(started).toEqual([0]);
    limit = 3;
    queue.limitChanged();
    await turn();
    expect(started).toEqual([0, 1, 2]);
    expect([queue.inFlight, queue.queued]).toEqual([3, 2]);
    limit = 1;
    attempts[0]!.finish();
    attempts[1]!.finish();
    await turn();
    expect(started).toEqual([0, 1, 2]); // one still running: a limit of 1 starts nothing more
    attempts[2]!.finish();
    await turn();
    expect(started).toEqual([0, 1, 2, 3]);
    attempts[3]!.finish();
    attempts[4]!.finish();
    await Promise.all(runs);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect([queue.inFlight, queue.queued]).toEqual([0, 0]);
  });

  it('lets no newcomer jump the queue', async () => {
    const queue = new ConcurrencyLimit(() => 1);
    const started: string[] = [];
    const first = held();
    void queue.run(() => (started.push('first'), first.run()));
    void queue.run(() => (started.push('second'), Promise.resolve()));
    first.finish();
    void queue.run(() => (started.push('third'), Promise.resolve()));
    await turn();
    await turn();
    expect(started).toEqual(['first', 'second', 'third']);
  });
});
