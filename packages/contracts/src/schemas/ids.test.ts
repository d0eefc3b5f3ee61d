import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  isTaskId,
  TASK_ID_PREFIX,
  TaskIdParamsSchema,
  TaskIdSchema,
  USAGE_RECORD_ID_PREFIX,
  WEBHOOK_DELIVERY_ID_PREFIX,
} from '../index.js';

/** The rule written out independently: RFC 3986 unreserved characters, not `.` or `..`. */
const UNRESERVED = new Set(
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~'.split(''),
);

function both(id: unknown): [boolean, boolean] {
  return [isTaskId(id), TaskIdSchema.safeParse(id).success];
}

describe('TaskIdSchema and isTaskId', () => {
  it.each([
    'gen_abc123def456',
    'gen_9f8e7d6c5b4a',
    'a',
    '0',
    '-',
    '_',
    '~',
    '...',
    '.hidden',
    'a..b',
    '..a',
    'v1.2_final~draft-3',
    'x'.repeat(10_000),
  ])('accepts %j', (id) => {
    expect(both(id)).toEqual([true, true]);
  });

  it.each([
    ['the empty string', ''],
    ['.', '.'],
    ['..', '..'],
    ['a slash', '/'],
    ['a path', 'gen_abc/../x'],
    ['a backslash', 'gen\\abc'],
    ['a percent-encoded slash', '%2F'],
    ['percent-encoded dots', '%2e%2e'],
    ['a space', 'gen abc'],
    ['a leading space', ' gen_abc'],
    ['a trailing newline', 'gen_abc\n'],
    ['a tab', '\t'],
    ['a NUL', 'gen_abc\0'],
    ['a query', 'gen_abc?x=1'],
    ['a fragment', 'gen_abc#top'],
    ['a colon', 'c:'],
    ['a non-ASCII letter', 'gén_abc'],
    ['a non-breaking space', 'gen\u00a0abc'],
    ['a full-width solidus', 'gen\uff0fabc'],
    ['a lone surrogate', 'gen_\ud800'],
    ['a long id with one bad character at the end', `${'x'.repeat(100_000)}/`],
  ])('refuses %s', (_what, id) => {
    expect(both(id)).toEqual([false, false]);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['a boolean', true],
    ['an array', ['gen_abc']],
    ['an object', { toString: () => 'gen_abc' }],
    ['a String object', new String('gen_abc')],
  ])('refuses %s (not a string), without throwing', (_what, id) => {
    expect(both(id)).toEqual([false, false]);
  });

  it('agrees with the rule written out, for every one-character string', () => {
    const wrong: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const id = String.fromCharCode(code);
      const expected = UNRESERVED.has(id) && id !== '.';
      if (isTaskId(id) !== expected || TaskIdSchema.safeParse(id).success !== expected) {
        wrong.push(`U+${code.toString(16).padStart(4, '0')}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('agrees with the rule written out, for every two-character string of interesting characters', () => {
    const chars = ['a', 'Z', '0', '-', '.', '_', '~', '/', '\\', '%', ' ', '\0', '\n', '?', 'é'];
    for (const x of chars) {
      for (const y of chars) {
        const id = x + y;
        const expected = UNRESERVED.has(x) && UNRESERVED.has(y) && id !== '..';
        expect(both(id), JSON.stringify(id)).toEqual([expected, expected]);
      }
    }
  });

  it('accepts only ids that are one URL path segment as written', () => {
    for (const id of ['gen_abc123def456', 'a-b.c_d~e', '...']) {
      expect(isTaskId(id)).toBe(true);
      expect(encodeURIComponent(id)).toBe(id);
      expect(new URL(`https://x.test/v1/tasks/${id}`).pathname).toBe(`/v1/tasks/${id}`);
    }
  });

  it('tests a 1 MB id in linear time', () => {
    const long = `${'a.'.repeat(500_000)}/`;
    const started = performance.now();
    expect(isTaskId(long)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('names the rule when it refuses', () => {
    const result = TaskIdSchema.safeParse('..');
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toMatch(/letters, digits and -\._~/);
  });

  it('narrows unknown to string', () => {
    const value: unknown = 'gen_abc';
    if (isTaskId(value)) expectTypeOf(value).toEqualTypeOf<string>();
    expectTypeOf(TaskIdSchema.parse('gen_abc')).toEqualTypeOf<string>();
  });
});

describe('TaskIdParamsSchema (GET /v1/tasks/:id)', () => {
  it('stays looser than TaskIdSchema: any non-empty id, so an odd one is a 404, not a 400', () => {
    for (const id of ['..', 'gen abc', '%2F', 'gén']) {
      expect(isTaskId(id)).toBe(false);
      expect(TaskIdParamsSchema.safeParse({ id }).success).toBe(true);
    }
    expect(TaskIdParamsSchema.safeParse({ id: '' }).success).toBe(false);
  });
});

describe('id prefixes', () => {
  it('are the ones the wire shows', () => {
    expect([TASK_ID_PREFIX, USAGE_RECORD_ID_PREFIX, WEBHOOK_DELIVERY_ID_PREFIX]).toEqual([
      'gen_',
      'usage_',
      'whd_',
    ]);
  });

  it('make task ids the rule accepts', () => {
    expect(isTaskId(`${TASK_ID_PREFIX}abc123def456`)).toBe(true);
  });
});
