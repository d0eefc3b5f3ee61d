import { startMockServer, type MockServer } from '@eggapi/mock-server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nearMiss, nearMissObject } from './support/document-arbitraries.js';
import { refusal, unknownKeywords, type RequestSchema } from './support/document-schema.js';

/**
 * Requests generated from the OpenAPI document the mock serves, sent to the mock: the document's
 * verdict (document-schema.ts judges the request by the schema alone) must be the server's —
 * what the document allows is accepted, what it refuses is a 400. numRuns is fixed (with the
 * seed): 300 bodies, 10 at a time, 100 queries per list route and 100 Idempotency-Key values,
 * about 2 s over loopback.
 */
const SEED = 25;
const BODY_RUNS = 300;
/** Bodies sent at once in each run (the property holds for every one of them). */
const BATCH = 10;
const SHRINK_LIMIT_MS = 15_000;
const QUERY_RUNS = 100;
const API_KEY = 'sk_fuzz';

interface Operation {
  parameters: { name: string; in: string; schema: RequestSchema }[];
  requestBody?: { content: { 'application/json': { schema: RequestSchema } } };
}

let mock: MockServer;
let paths: Record<string, Record<string, Operation>>;

beforeAll(async () => {
  // Tasks stay pending for the whole run: no webhook is ever delivered to a generated URL.
  mock = await startMockServer({
    apiKeys: [API_KEY],
    timing: { queueMs: 600_000, processingMs: 0 },
  });
  const document = (await (await fetch(`${mock.url}/openapi.json`)).json()) as {
    paths: typeof paths;
  };
  paths = document.paths;
});
afterAll(() => mock.close());

/** How often each verdict came up, so that a generator that drifts to one side fails. */
function tally() {
  const seen = { allowed: 0, refused: 0 };
  return {
    seen,
    count: (reason: string | undefined) => void (reason ? seen.refused++ : seen.allowed++),
  };
}

describe('requests generated from the OpenAPI document', () => {
  it('POST /v1/generate: the server accepts exactly the bodies the document allows', async () => {
    const schema = paths['/v1/generate']!.post!.requestBody!.content['application/json'].schema;
    expect(unknownKeywords(schema)).toEqual([]);
    const { seen, count } = tally();
    await fc.assert(
      fc.asyncProperty(
        fc.array(nearMissObject(schema), { minLength: BATCH, maxLength: BATCH }),
        async (bodies) => {
          const verdicts = await Promise.all(
            bodies.map(async (body) => {
              const reason = refusal(schema, body);
              count(reason);
              const response = await fetch(`${mock.url}/v1/generate`, {
                method: 'POST',
                headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
                body: JSON.stringify(body),
              });
              const answer = await response.text();
              const expected = reason ? 400 : 202;
              return response.status === expected
                ? undefined
                : { body, document: reason ?? 'allowed', status: response.status, answer };
            }),
          );
          expect(verdicts.filter(Boolean)).toEqual([]);
        },
      ),
      // Shrinking a batch is slow: stop it in time to report the smallest failure found so far.
      { seed: SEED, numRuns: BODY_RUNS / BATCH, interruptAfterTimeLimit: SHRINK_LIMIT_MS },
    );
    expect(seen.allowed).toBeGreaterThan(BODY_RUNS / 5);
    expect(seen.refused).toBeGreaterThan(BODY_RUNS / 5);
  });

  it.each(['/v1/tasks', '/v1/usage'])(
    'GET %s: the server accepts exactly the page parameters the document allows',
    async (path) => {
      const parameters = paths[path]!.get!.parameters.filter((p) => p.in === 'query');
      for (const { schema } of parameters) expect(unknownKeywords(schema)).toEqual([]);
      const query = fc.record(
        Object.fromEntries(parameters.map(({ name, schema }) => [name, nearMiss(schema)])),
        { requiredKeys: [] },
      );
      const { seen, count } = tally();
      await fc.assert(
        fc.asyncProperty(query, async (values) => {
          const reason = parameters
            .filter(({ name }) => name in values)
            .map(({ name, schema }) => refusal(schema, values[name], name))
            .find(Boolean);
          count(reason);
          const search = new URLSearchParams(
            Object.entries(values).map(([name, value]) => [name, serialize(value)]),
          );
          const response = await fetch(`${mock.url}${path}?${search}`, {
            headers: { authorization: `Bearer ${API_KEY}` },
          });
          await response.arrayBuffer();
          expect(response.status, `${search} ${reason ?? 'allowed by the document'}`).toBe(
            reason ? 400 : 200,
          );
        }),
        { seed: SEED, numRuns: QUERY_RUNS },
      );
      expect(seen.allowed).toBeGreaterThan(QUERY_RUNS / 5);
      expect(seen.refused).toBeGreaterThan(QUERY_RUNS / 5);
    },
  );

  it('POST /v1/generate: the server accepts exactly the header values the document allows', async () => {
    const headers = paths['/v1/generate']!.post!.parameters.filter((p) => p.in === 'header');
    expect(headers.map((p) => p.name)).toEqual(['Idempotency-Key']);
    const { schema } = headers[0]!;
    expect(unknownKeywords(schema)).toEqual([]);
    // What fetch can send as is: printable Latin-1, no space at either end (fetch trims it).
    const sendable = (value: string) =>
      /^(?:[\x21-\x7e\xa0-\xff](?:[\x20-\x7e\xa0-\xff]*[\x21-\x7e\xa0-\xff])?)?$/.test(value);
    const values = fc.oneof(
      nearMiss(schema),
      fc.string({ unit: fc.constantFrom('a', '-', ' ', 'é', '~'), maxLength: 8 }),
      fc.string({ minLength: 250, maxLength: 260 }),
    );
    const { seen, count } = tally();
    await fc.assert(
      fc.asyncProperty(
        values.filter((v): v is string => typeof v === 'string' && sendable(v)),
        async (key) => {
          const reason = refusal(schema, key, 'Idempotency-Key');
          count(reason);
          const response = await fetch(`${mock.url}/v1/generate`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${API_KEY}`,
              'content-type': 'application/json',
              'idempotency-key': key,
            },
            // One body for every key: a key seen again is a replay (202), never a conflict.
            body: JSON.stringify({ model: 'nanobanana', prompt: 'fuzz' }),
          });
          await response.arrayBuffer();
          expect(response.status, `${JSON.stringify(key)}: ${reason ?? 'allowed'}`).toBe(
            reason ? 400 : 202,
          );
        },
      ),
      { seed: SEED, numRuns: QUERY_RUNS },
    );
    expect(seen.allowed).toBeGreaterThan(QUERY_RUNS / 5);
    expect(seen.refused).toBeGreaterThan(QUERY_RUNS / 5);
  });
});

/** A query value as a client serialises it (OpenAPI's `form` style); objects as JSON text. */
function serialize(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}
