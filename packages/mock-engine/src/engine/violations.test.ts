import { describe, expect, it } from 'vitest';
import { ViolationLog, VIOLATIONS_KEPT } from './violations.js';

const violation = (path: string) => ({
  at: new Date(0).toISOString(),
  direction: 'response' as const,
  method: 'GET',
  path,
  status: 200,
  issues: [{ path: 'body', message: 'not JSON' }],
  request_id: 'req_1',
});

describe('ViolationLog', () => {
  it('keeps the newest VIOLATIONS_KEPT, newest first, and counts every one', () => {
    const log = new ViolationLog();
    for (let i = 0; i < VIOLATIONS_KEPT + 5; i++) log.record(violation(`/v1/tasks/${i}`));
    const kept = log.list();
    expect(kept).toHaveLength(VIOLATIONS_KEPT);
    expect(kept[0]).toMatchObject({
      id: `vi_${VIOLATIONS_KEPT + 5}`,
      path: `/v1/tasks/${VIOLATIONS_KEPT + 4}`,
    });
    expect(kept.at(-1)!.path).toBe('/v1/tasks/5');
    expect(log.count).toBe(VIOLATIONS_KEPT + 5);
    log.clear();
    expect(log.list()).toEqual([]);
    expect(log.count).toBe(VIOLATIONS_KEPT + 5);
  });

  it('bounds what a hostile upstream can make it keep', () => {
    const log = new ViolationLog();
    log.record({
      ...violation('/v1/' + 'x'.repeat(10_000)),
      request_id: 'r'.repeat(10_000),
      issues: Array.from({ length: 500 }, () => ({ path: 'p'.repeat(9_000), message: 'm' })),
    });
    const [kept] = log.list();
    expect(kept!.path.length).toBeLessThan(600);
    expect(kept!.request_id.length).toBeLessThan(600);
    expect(kept!.issues).toHaveLength(50);
    expect(kept!.issues[0]!.path.length).toBeLessThan(600);
  });

  it('hands out copies', () => {
    const log = new ViolationLog();
    log.record(violation('/v1/tasks'));
    log.list()[0]!.issues.push({ path: 'x', message: 'y' });
    expect(log.list()[0]!.issues).toHaveLength(1);
  });
});
