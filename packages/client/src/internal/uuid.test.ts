import { afterEach, describe, expect, it, vi } from 'vitest';
import { randomUUID } from './uuid.js';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

afterEach(() => vi.unstubAllGlobals());

describe('randomUUID', () => {
  it('answers a v4 UUID from crypto.randomUUID', () => {
    expect(randomUUID()).toMatch(V4);
  });

  it('builds a v4 UUID from getRandomValues where randomUUID is missing (plain-http pages)', () => {
    const real = globalThis.crypto;
    vi.stubGlobal('crypto', {
      getRandomValues: (array: Uint8Array) => real.getRandomValues(array),
    });
    const ids = new Set(Array.from({ length: 200 }, () => randomUUID()));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(V4);
  });
});
