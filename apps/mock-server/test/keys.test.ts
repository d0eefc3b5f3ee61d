import { describe, expect, it } from 'vitest';
import { keyFingerprints } from '@eggapi/mock-engine/host';
import { call, createTask, mockServer, validRequest } from './support/harness.js';

describe('API key fingerprints', () => {
  it('keeps apart keys whose short form is the same, and browses each owner alone', async () => {
    const keys = ['sk_a_tenant', 'sk_b_tenant'];
    const server = await mockServer({ apiKeys: keys });
    const listed = (await call(server, 'GET', '/__admin/keys')).body.data as string[];
    expect(listed).toHaveLength(2);
    expect(new Set(listed).size).toBe(2);
    for (const shown of listed) {
      expect(shown).toMatch(/^sk…#[0-9a-f]{6}$/);
      for (const key of keys) expect(shown).not.toContain(key);
    }
    const a = await createTask({ ...server, apiKey: keys[0]! }, validRequest);
    const b = await createTask({ ...server, apiKey: keys[1]! }, validRequest);
    for (const [shown, id] of [
      [listed[0]!, a],
      [listed[1]!, b],
    ] as const) {
      const page = await call(server, 'GET', `/__admin/tasks?owner=${encodeURIComponent(shown)}`);
      expect(
        page.body.data.items.map((t: { id: string; owner: string }) => [t.id, t.owner]),
      ).toEqual([[id, shown]]);
    }
  });

  it.each([
    [['sk_test_aaaa_eggapi', 'sk_test_bbbb_eggapi']],
    [['sk_a_tenant', 'sk_b_tenant', 'sk_c_tenant']],
    [['sk_test_eggapi', 'sk_live_other_key_1', 'short_key_9']],
  ])('are unique among %j and the same for the same keys', (keys) => {
    const first = keyFingerprints(keys);
    expect(new Set(first.values()).size).toBe(keys.length);
    expect(keyFingerprints([...keys].reverse())).toEqual(first);
    for (const [key, shown] of first) expect(shown).not.toContain(key);
  });

  it('keeps the familiar short form for one long key', () => {
    expect([...keyFingerprints(['sk_test_eggapi']).values()]).toEqual(['sk_t…ggapi']);
  });
});
