import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../create-engine.js';
import { resolveEngineOptions, type MockEngineOptions } from '../options.js';
import type { MockEngine } from './engine.js';
import { createMemoryStore } from '../adapters/memory-store.js';
import type { AnsweredRequest } from './journal-entry.js';
import type { EngineEvent } from './types.js';
import { storeInitOf } from './store-init.js';

const KEY = 'sk_test_journal_key';
const engines: MockEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.shutdown(0)));
});

function engineWith(options: MockEngineOptions = {}): MockEngine {
  const engine = createEngine(resolveEngineOptions({ apiKeys: [KEY], ...options }));
  engines.push(engine);
  return engine;
}

/** Records one answered request, as a transport does. */
function record(engine: MockEngine, request: Partial<AnsweredRequest> = {}): void {
  engine.journalRequest()({
    method: 'POST',
    path: '/v1/generate',
    query: [],
    headers: [
      ['authorization', `Bearer ${KEY}`],
      ['content-type', 'application/json'],
    ],
    bodyText: JSON.stringify({ model: 'nanobanana', prompt: 'a red fox' }),
    status: 202,
    answer: { data: { id: 'gen_abc123' }, error: null },
    ...request,
  });
}

describe('the request journal', () => {
  it('records the request and its answer, with the key only as its fingerprint', async () => {
    let now = Date.parse('2026-03-01T10:00:00.000Z');
    const engine = engineWith({ now: () => now });
    const done = engine.journalRequest();
    now += 7;
    done({
      method: 'post',
      path: '/v1/generate',
      query: new URLSearchParams('a=1&a=2&b=3'),
      headers: [
        ['Authorization', `Bearer ${KEY}`],
        ['Cookie', 'session=secret'],
        ['Idempotency-Key', 'k-1'],
      ],
      bodyText: '{"prompt":"a red fox"}',
      status: 202,
      answer: { data: { id: 'gen_abc123' }, error: null },
    });
    const [entry] = await engine.requests();
    expect(entry).toEqual({
      id: expect.stringMatching(/^rq_[0-9a-f]{20}$/),
      at: '2026-03-01T10:00:00.000Z',
      method: 'POST',
      path: '/v1/generate',
      query: { a: ['1', '2'], b: '3' },
      headers: {
        authorization: 'Bearer sk_t…l_key',
        cookie: '[redacted]',
        'idempotency-key': 'k-1',
      },
      body: { prompt: 'a red fox' },
      status: 202,
      task_id: 'gen_abc123',
      // Real time, not the mock clock's 7 ms: a virtual clock does not stop requests taking time.
      duration_ms: expect.any(Number),
    });
    expect(JSON.stringify(entry)).not.toContain(KEY);
  });

  it.each([
    ['an unknown bearer key', 'Bearer sk_nobody_knows_this', 'Bearer sk_n…_this'],
    ['another scheme', 'Basic dXNlcjpwYXNz', 'Basic [redacted]'],
    ['a bare value', 'sk_test_journal_key', '[redacted]'],
  ])('shows %s only redacted', async (_case, value, shown) => {
    const engine = engineWith();
    record(engine, { headers: [['authorization', value]], status: 401 });
    const [entry] = await engine.requests();
    expect(entry!.headers.authorization).toBe(shown);
  });

  it('keeps the first 2 KB of a body that is not JSON, and of JSON over 16 KB', async () => {
    const engine = engineWith();
    record(engine, { bodyText: `not json ${'x'.repeat(5_000)}` });
    record(engine, { bodyText: JSON.stringify({ prompt: 'y'.repeat(20_000) }) });
    const [large, text] = await engine.requests();
    expect(text!.body).toHaveLength(2_048);
    expect(large!.body).toHaveLength(2_048);
    expect(String(large!.body).startsWith('{"prompt":"yyy')).toBe(true);
  });

  it('bounds the headers and query it keeps', async () => {
    const engine = engineWith();
    const many = Array.from(
      { length: 200 },
      (_, i) => [`x-h${i}`, 'v'.repeat(5_000)] as [string, string],
    );
    record(engine, { headers: many, query: many });
    const [entry] = await engine.requests();
    expect(Object.keys(entry!.headers)).toHaveLength(64);
    expect(Object.keys(entry!.query)).toHaveLength(64);
    expect(entry!.headers['x-h0']).toHaveLength(512);
  });

  it('keeps the newest journalSize entries, filters them, and pages them newest first', async () => {
    const engine = engineWith({ journalSize: 3 });
    for (let i = 0; i < 5; i++)
      record(engine, {
        path: `/v1/tasks/gen_t${i}`,
        method: 'GET',
        status: 200,
        answer: undefined,
        bodyText: undefined,
      });
    const paths = (await engine.requests()).map((e) => e.path);
    expect(paths).toEqual(['/v1/tasks/gen_t4', '/v1/tasks/gen_t3', '/v1/tasks/gen_t2']);
    expect((await engine.requests({ task_id: 'gen_t3' })).map((e) => e.path)).toEqual([
      '/v1/tasks/gen_t3',
    ]);
    const page = await engine.requestPage({ page: 2, per_page: 2, method: 'get' });
    expect(page.items.map((e) => e.task_id)).toEqual(['gen_t2']);
    expect(page.pagination).toEqual({ page: 2, per_page: 2, total: 3, total_pages: 2 });
    await expect(engine.requestPage({ status: 'teapot' })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
  });

  it('is cleared by clearRequests and by reset, and off with journalSize 0', async () => {
    const engine = engineWith();
    record(engine);
    await engine.clearRequests();
    expect(await engine.requests()).toEqual([]);
    record(engine);
    await engine.reset();
    expect(await engine.requests()).toEqual([]);
    const off = engineWith({ journalSize: 0 });
    record(off);
    expect(await off.requests()).toEqual([]);
    await expect(off.expectRequest({})).rejects.toThrow(/journal is off/);
  });

  it('tells listeners of each stored entry with request.recorded: id, method, path, status only', async () => {
    const engine = engineWith();
    const events: EngineEvent[] = [];
    engine.on((event) => events.push(event));
    record(engine);
    record(engine, { method: 'get', path: '/v1/tasks', status: 401, bodyText: undefined });
    const [newest, oldest] = await engine.requests();
    expect(events).toEqual([
      {
        type: 'request.recorded',
        id: oldest!.id,
        method: 'POST',
        path: '/v1/generate',
        status: 202,
      },
      { type: 'request.recorded', id: newest!.id, method: 'GET', path: '/v1/tasks', status: 401 },
    ]);
    expect(JSON.stringify(events)).not.toMatch(/sk_t|red fox/);
  });

  it('sends a failing store write to onError, never to the request', async () => {
    const errors: unknown[] = [];
    const options = resolveEngineOptions({ apiKeys: [KEY] });
    const broken = new Error('journal store away');
    // Break the store's journal under the engine: the recording call still returns normally.
    const memory = createMemoryStore((salt) => storeInitOf(options, salt));
    const failing = createEngine(options, {
      onError: (e) => errors.push(e),
      store: { ...memory, journal: { ...memory.journal, add: () => Promise.reject(broken) } },
    });
    engines.push(failing);
    expect(() => record(failing)).not.toThrow();
    const events: EngineEvent[] = [];
    failing.on((event) => events.push(event));
    expect(await failing.requests()).toEqual([]);
    expect(errors).toEqual([broken]);
    // Nothing was stored, so nothing is announced.
    expect(events).toEqual([]);
  });
});

describe('expectRequest', () => {
  const seeded = () => {
    const engine = engineWith();
    record(engine, { bodyText: JSON.stringify({ model: 'nanobanana', prompt: 'a red cat' }) });
    record(engine, {
      method: 'GET',
      path: '/v1/tasks',
      bodyText: undefined,
      status: 200,
      answer: { data: {}, error: null },
    });
    record(engine, { bodyText: JSON.stringify({ model: 'nanobanana', prompt: 'a blue fox' }) });
    record(engine, {
      headers: [['authorization', 'Bearer sk_wrong_key_0001']],
      bodyText: undefined,
      status: 401,
      answer: { data: null, error: { code: 'UNAUTHORIZED' } },
    });
    return engine;
  };

  it('resolves with the matches when exactly one matches (the default)', async () => {
    const engine = seeded();
    const [match] = await engine.expectRequest({
      method: 'post',
      path: '/v1/generate',
      body: { prompt: 'a red cat' },
    });
    expect(match!.body).toEqual({ model: 'nanobanana', prompt: 'a red cat' });
  });

  it('matches regexes, header names in any case, a raw key by its fingerprint, and counts', async () => {
    const engine = seeded();
    await engine.expectRequest({ path: '/^\\/v1\\//', body: { prompt: /fox|cat/ } }, { times: 2 });
    await engine.expectRequest(
      { headers: { Authorization: `Bearer ${KEY}` }, method: 'POST' },
      { atLeast: 2, atMost: 2 },
    );
    const [bad] = await engine.expectRequest({
      headers: { authorization: 'Bearer sk_wrong_key_0001' },
    });
    expect(bad).toMatchObject({
      status: 401,
      code: 'UNAUTHORIZED',
      headers: { authorization: 'Bearer sk_w…_0001' },
    });
    await engine.expectRequest({ method: 'DELETE' }, { times: 0 });
    await engine.expectRequest({}, { atLeast: 4 });
  });

  it('rejects with the count and the 3 nearest misses, field by field, newest first among equals', async () => {
    const engine = seeded();
    await expect(
      engine.expectRequest({ method: 'POST', path: '/v1/generate', body: { prompt: 'a red fox' } }),
    ).rejects.toThrow(
      [
        'Expected exactly 1 request matching POST /v1/generate body {"prompt":"a red fox"}, but 0 matched (4 recorded).',
        '3 nearest misses:',
        '  1. POST /v1/generate → 401 UNAUTHORIZED',
        '       body: expected an object, got nothing',
        '  2. POST /v1/generate → 202',
        '       body.prompt: expected "a red fox", got "a blue fox"',
        '  3. POST /v1/generate → 202',
        '       body.prompt: expected "a red fox", got "a red cat"',
      ].join('\n'),
    );
  });

  it('weighs a wrong method or path as three fields', async () => {
    const engine = seeded();
    const failure = await engine
      .expectRequest({ method: 'GET', path: '/v1/generate', body: { prompt: 'a red cat' } })
      .catch((error: Error) => error);
    // GET /v1/tasks differs in path and body (3 + 1): it ranks after every POST.
    expect((failure as Error).message).toBe(
      [
        'Expected exactly 1 request matching GET /v1/generate body {"prompt":"a red cat"}, but 0 matched (4 recorded).',
        '3 nearest misses:',
        '  1. POST /v1/generate → 202',
        '       method: expected GET, got POST',
        '  2. POST /v1/generate → 401 UNAUTHORIZED',
        '       method: expected GET, got POST',
        '       body: expected an object, got nothing',
        '  3. POST /v1/generate → 202',
        '       method: expected GET, got POST',
        '       body.prompt: expected "a red cat", got "a blue fox"',
      ].join('\n'),
    );
  });

  it('shows the first matches when too many matched', async () => {
    const engine = seeded();
    await expect(engine.expectRequest({ method: 'POST' }, { atMost: 1 })).rejects.toThrow(
      [
        'Expected at most 1 request matching POST any path, but 3 matched (4 recorded).',
        'The matches:',
        '  1. POST /v1/generate → 202',
        '  2. POST /v1/generate → 202',
        '  3. POST /v1/generate → 401 UNAUTHORIZED',
      ].join('\n'),
    );
  });

  it('waits within its time for a request sent in the background', async () => {
    const engine = engineWith();
    setTimeout(() => record(engine), 20);
    const matches = await engine.expectRequest({ path: '/v1/generate' }, { within: 2_000 });
    expect(matches).toHaveLength(1);
    await expect(engine.expectRequest({ path: '/v1/usage' }, { within: 30 })).rejects.toThrow(
      'Expected exactly 1 request matching any method /v1/usage within 30 ms, but 0 matched (1 recorded).',
    );
  });

  it.each([
    ['an unknown matcher field', { matcher: { url: '/v1' } }, 'matcher.url: unknown field'],
    ['a bad regex', { matcher: { path: '/(/' } }, 'matcher.path: invalid regular expression'],
    [
      'a bad body regex',
      { matcher: { body: { a: ['/[/'] } } },
      'matcher.body.a[0]: invalid regular expression',
    ],
    [
      'times with atLeast',
      { matcher: {}, times: 1, atLeast: 1 },
      'times: give times, or atLeast/atMost, not both',
    ],
    [
      'atLeast over atMost',
      { matcher: {}, atLeast: 3, atMost: 1 },
      'atLeast: must not exceed atMost',
    ],
    ['a negative times', { matcher: {}, times: -1 }, 'times'],
    ['within over 60 s', { matcher: {}, within: 60_001 }, 'within: must be at most 60000 ms'],
    [
      'a body too large',
      { matcher: { body: { p: 'x'.repeat(17_000) } } },
      'matcher.body: must be at most',
    ],
    [
      'a body too deep',
      { matcher: { body: JSON.parse('{"a":'.repeat(40) + '1' + '}'.repeat(40)) } },
      'matcher.body: must nest at most 32 levels',
    ],
    [
      'too many headers',
      {
        matcher: {
          headers: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`h${i}`, 'v'])),
        },
      },
      'matcher.headers: at most 64 members',
    ],
    [
      'a method that is not one',
      { matcher: { method: 'GET /x' } },
      'matcher.method: must be an HTTP method',
    ],
    ['no matcher', {}, 'matcher'],
  ])('refuses %s with VALIDATION_ERROR', async (_case, body, message) => {
    const engine = engineWith();
    const error = await engine.verifyRequests(body).catch((e: Error & { code?: string }) => e);
    expect(error).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect((error as Error).message).toContain(message);
  });
});

describe('the journal against hostile input', () => {
  it.each([[-1], [1.5], [100_001]])('refuses journalSize %s with a TypeError', (journalSize) => {
    expect(() => resolveEngineOptions({ journalSize })).toThrow(
      /invalid mock options: journalSize/,
    );
  });

  it('keeps headers named like Object members as headers', async () => {
    const engine = engineWith();
    record(engine, {
      headers: [
        ['__proto__', 'x'],
        ['constructor', 'y'],
      ],
    });
    const [entry] = await engine.requests();
    expect(Object.getPrototypeOf(entry!.headers)).toBe(Object.prototype);
    expect(entry!.headers).toEqual(
      Object.fromEntries([
        ['__proto__', 'x'],
        ['constructor', 'y'],
      ]),
    );
    await engine.expectRequest({ headers: { constructor: 'y' } });
    await engine.expectRequest({ headers: { toString: '/./' } }, { times: 0 });
  });

  it('records any request without throwing and never keeps a bearer key', async () => {
    const engine = engineWith({ journalSize: 5 });
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 12, maxLength: 40 }).filter((k) => /^\S+$/.test(k)),
        fc.array(fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 50 })), {
          maxLength: 10,
        }),
        fc.option(fc.string({ maxLength: 3_000 }), { nil: undefined }),
        async (key, headers, bodyText) => {
          record(engine, {
            headers: [...headers, ['authorization', `Bearer ${key}`]],
            query: headers,
            bodyText,
          });
          const [entry] = await engine.requests();
          expect(entry!.headers.authorization).not.toContain(key);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('answers any verification input with its matches, VALIDATION_ERROR or VERIFICATION_FAILED', async () => {
    const engine = engineWith();
    record(engine);
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.jsonValue(), async (matcher, options) => {
        const input =
          typeof options === 'object' && options !== null && !Array.isArray(options)
            ? { ...options, matcher }
            : { matcher };
        const outcome = await engine.verifyRequests(input).then(
          () => 'matched',
          (error: { code?: string }) => error.code,
        );
        expect(['matched', 'VALIDATION_ERROR', 'VERIFICATION_FAILED']).toContain(outcome);
      }),
      { numRuns: 200 },
    );
  });
});
