import { describe, expect, it } from 'vitest';
import { OwnedLog } from './owned-log.js';

const item = (id: string, owner = 'a') => ({ id, owner });

describe('OwnedLog', () => {
  it('pages newest first with totals', () => {
    const log = new OwnedLog<{ id: string; owner: string }>(100);
    for (let i = 1; i <= 5; i++) log.add(item(`t${i}`));
    const first = log.page('a', { page: 1, per_page: 2 });
    expect(first.items.map((i) => i.id)).toEqual(['t5', 't4']);
    expect(first.pagination).toEqual({ page: 1, per_page: 2, total: 5, total_pages: 3 });
    expect(log.page('a', { page: 3, per_page: 2 }).items.map((i) => i.id)).toEqual(['t1']);
    expect(log.page('a', { page: 4, per_page: 2 }).items).toEqual([]);
  });

  it('keeps owners apart', () => {
    const log = new OwnedLog<{ id: string; owner: string }>(100);
    log.add(item('x', 'a'));
    log.add(item('y', 'b'));
    expect(log.page('a', { page: 1, per_page: 20 }).items).toEqual([item('x', 'a')]);
    expect(log.page('b', { page: 1, per_page: 20 }).pagination.total).toBe(1);
  });

  it('evicts the oldest item first once over capacity, across owners', () => {
    const log = new OwnedLog<{ id: string; owner: string }>(3);
    log.add(item('1', 'a'));
    log.add(item('2', 'b'));
    log.add(item('3', 'a'));
    log.add(item('4', 'b'));
    log.add(item('5', 'a'));
    expect([log.get('1'), log.get('2')]).toEqual([undefined, undefined]);
    expect(log.size).toBe(3);
    expect(log.page('a', { page: 1, per_page: 20 }).items.map((i) => i.id)).toEqual(['5', '3']);
    expect(log.page('b', { page: 1, per_page: 20 }).items.map((i) => i.id)).toEqual(['4']);
  });

  it('stays correct over many evictions (compaction)', () => {
    const log = new OwnedLog<{ id: string; owner: string }>(10);
    for (let i = 0; i < 5000; i++) log.add(item(String(i)));
    const page = log.page('a', { page: 1, per_page: 100 });
    expect(page.items.map((i) => i.id)).toEqual(
      Array.from({ length: 10 }, (_, k) => String(4999 - k)),
    );
    expect(page.pagination.total).toBe(10);
  });
});

describe('OwnedLog.pageAll', () => {
  it('pages every owner newest first, and filters with the total of matches', () => {
    const log = new OwnedLog<{ id: string; owner: string }>(100);
    for (let i = 1; i <= 6; i++) log.add(item(`t${i}`, i % 2 ? 'a' : 'b'));
    const all = log.pageAll({ page: 1, per_page: 4 });
    expect(all.items.map((i) => i.id)).toEqual(['t6', 't5', 't4', 't3']);
    expect(all.pagination).toEqual({ page: 1, per_page: 4, total: 6, total_pages: 2 });
    const ofA = log.pageAll({ page: 2, per_page: 2 }, (i) => i.owner === 'a');
    expect(ofA.items.map((i) => i.id)).toEqual(['t1']);
    expect(ofA.pagination).toEqual({ page: 2, per_page: 2, total: 3, total_pages: 2 });
  });

  it('forgets evicted items (across compactions)', () => {
    const log = new OwnedLog<{ id: string; owner: string }>(10);
    for (let i = 0; i < 5000; i++) log.add(item(String(i), i % 3 ? 'a' : 'b'));
    const page = log.pageAll({ page: 1, per_page: 100 });
    expect(page.items.map((i) => i.id)).toEqual(
      Array.from({ length: 10 }, (_, k) => String(4999 - k)),
    );
    expect(log.pageAll({ page: 1, per_page: 100 }, () => true).pagination.total).toBe(10);
  });
});
