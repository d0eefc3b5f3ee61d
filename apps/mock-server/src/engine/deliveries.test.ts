import { describe, expect, it } from 'vitest';
import { AttemptQueue, excerptOf, RESPONSE_EXCERPT_BYTES } from './deliveries.js';

/** An attempt the test finishes by hand. */
function held() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { run: () => done, finish };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('the attempt queue', () => {
  it('starts waiting attempts at once, in order, when the limit grows; respects a smaller limit', async () => {
    let limit = 1;
    const queue = new AttemptQueue(() => limit);
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
    const queue = new AttemptQueue(() => 1);
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

describe('excerptOf (the answer body kept with an attempt)', () => {
  const max = RESPONSE_EXCERPT_BYTES;
  it.each([
    ['empty', '', '', false],
    ['exactly the limit', 'a'.repeat(max), 'a'.repeat(max), false],
    ['one byte over', 'a'.repeat(max + 1), 'a'.repeat(max), true],
    ['a 2-byte character across the limit', `${'a'.repeat(max - 1)}é`, 'a'.repeat(max - 1), true],
    ['a 4-byte character across the limit', `${'a'.repeat(max - 2)}🥚`, 'a'.repeat(max - 2), true],
    ['multi-byte text that fits', 'é'.repeat(max / 2), 'é'.repeat(max / 2), false],
  ])('%s', (_name, text, kept, truncated) => {
    expect(excerptOf(text)).toEqual({ text: kept, truncated });
  });
});
