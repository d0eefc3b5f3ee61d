import { describe, expect, it } from 'vitest';
import { LruMap } from './lru.js';

describe('LruMap', () => {
  it('evicts the least recently used first, a read counting as a use', () => {
    const lru = new LruMap<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3);
    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([1, undefined, 3]);
    expect(lru.size).toBe(2);
  });

  it('bounds the total size of its values, and keeps none larger than the budget', () => {
    const lru = new LruMap<string, Uint8Array>(10, (bytes) => bytes.byteLength);
    lru.set('six', new Uint8Array(6));
    lru.set('four', new Uint8Array(4));
    expect(lru.size).toBe(10);
    lru.set('three', new Uint8Array(3));
    expect([lru.get('six'), lru.get('four')?.byteLength, lru.size]).toEqual([undefined, 4, 7]);
    lru.set('huge', new Uint8Array(11));
    expect([lru.get('huge'), lru.size]).toEqual([undefined, 7]);
  });

  it('replaces a value in place and forgets everything on clear', () => {
    const lru = new LruMap<string, Uint8Array>(10, (bytes) => bytes.byteLength);
    lru.set('a', new Uint8Array(4));
    lru.set('a', new Uint8Array(2));
    expect(lru.size).toBe(2);
    lru.clear();
    expect([lru.get('a'), lru.size]).toEqual([undefined, 0]);
  });
});
