import fc from 'fast-check';
import { ErrorEnvelopeSchema, TaskEnvelopeSchema } from '@eggapi/contracts';
import { describe, expect, it } from 'vitest';
import { call, mockServer, validRequest } from './support/harness.js';

describe('robustness', () => {
  it('answers thousands of random and malformed bodies with 4xx envelopes, never a 5xx, and keeps serving', async () => {
    const server = await mockServer({ validateResponses: false });
    const bodies = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.json({ maxDepth: 3 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc
        .record(
          {
            model: fc.oneof(fc.constant('nanobanana'), fc.string(), fc.integer()),
            prompt: fc.oneof(fc.string({ maxLength: 2100 }), fc.integer(), fc.constant(null)),
            aspect_ratio: fc.oneof(fc.constantFrom('16:9', '9:16', '1:1'), fc.integer()),
            num_outputs: fc.oneof(fc.integer({ min: -2, max: 8 }), fc.double(), fc.string()),
            resolution: fc.string({ maxLength: 4 }),
            image_urls: fc.array(fc.oneof(fc.webUrl(), fc.string()), { maxLength: 12 }),
            webhook_url: fc.oneof(fc.webUrl(), fc.string()),
          },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    );
    const contentTypes = fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/json; charset=latin1',
    );
    let count = 0;
    await fc.assert(
      fc.asyncProperty(bodies, contentTypes, async (body, type) => {
        count++;
        const answer = await call(server, 'POST', '/v1/generate', {
          body,
          headers: { 'content-type': type },
        });
        if (answer.status === 202) {
          expect(TaskEnvelopeSchema.safeParse(answer.body).success).toBe(true);
          return;
        }
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
        expect(ErrorEnvelopeSchema.safeParse(answer.body).success, answer.text).toBe(true);
      }),
      { numRuns: 2000 },
    );
    expect(count).toBeGreaterThanOrEqual(2000);
    expect((await call(server, 'POST', '/v1/generate', { body: validRequest })).status).toBe(202);
  }, 120_000);

  it('creates 1,000 tasks concurrently: 1,000 distinct ids, every one ends, none lost', async () => {
    let now = Date.parse('2026-05-08T10:30:00Z');
    const server = await mockServer({ timing: 'fast', validateResponses: false, now: () => now });
    const answers = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        call(server, 'POST', '/v1/generate', { body: { ...validRequest, prompt: `task ${i}` } }),
      ),
    );
    expect(answers.every((a) => a.status === 202)).toBe(true);
    const ids = new Set(answers.map((a) => a.body.data.id as string));
    expect(ids.size).toBe(1000);
    now += 1_200; // 'fast' ends every task within about a second; reads settle what is due
    const seen = new Set<string>();
    for (let page = 1; page <= 10; page++) {
      const list = await call(server, 'GET', `/v1/tasks?page=${page}&per_page=100`);
      expect(list.body.data.pagination.total).toBe(1000);
      for (const task of list.body.data.items) {
        expect(task.status).toBe('completed');
        seen.add(task.id);
      }
    }
    expect(seen).toEqual(ids);
  }, 60_000);
});
