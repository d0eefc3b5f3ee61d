import * as z from 'zod/mini';
import { validationError } from './errors.js';
import type { JournalEntry } from './journal-entry.js';
import { shownAuthorization } from './journal-entry.js';
import { parseInput } from './validation.js';

/** A string to match exactly, or a `/regex/flags` (in code, a `RegExp` too). */
export type TextMatcher = string | RegExp;

/**
 * Which journal entries a verification counts (`expectRequest`, `POST /__admin/requests/verify`).
 * Every field is optional; an empty matcher matches every request.
 * - `method`: case-insensitive.
 * - `path`: the path without its query, exactly or as a `/regex/flags` (a string that starts and
 *   ends with `/`, so a literal path with a trailing `/` must be written as a regex).
 * - `query`, `headers`: each named value must match (header names case-insensitive); a repeated
 *   query name matches when any of its values does. `authorization` compares with the journal's
 *   form: a raw `Bearer <key>` is shown as its fingerprint first, so either may be given.
 * - `body`: a deep subset of the body: objects match when each given member matches, arrays
 *   element by element with the same length, strings exactly or as `/regex/flags`, other values
 *   by equality.
 */
export interface RequestMatcher {
  method?: string;
  path?: TextMatcher;
  query?: Record<string, TextMatcher>;
  headers?: Record<string, TextMatcher>;
  body?: unknown;
}

/**
 * How many matching requests a verification expects: exactly `times` (default 1 when none of
 * the counts is given), or at least `atLeast` and/or at most `atMost`. With `within` (ms, up to
 * 60 000), it waits that long for the requests to arrive (code that sends in the background).
 */
export interface VerifyOptions {
  times?: number;
  atLeast?: number;
  atMost?: number;
  within?: number;
}

/** The longest `within` a verification waits (HTTP and code alike). */
export const MAX_VERIFY_WITHIN_MS = 60_000;
/** Most characters of a matcher's body as JSON, and its deepest nesting. */
const MAX_BODY_CHARS = 16 * 1_024;
const MAX_BODY_DEPTH = 32;
const MAX_MEMBERS = 64;
const REGEX_LITERAL = /^\/([\s\S]+)\/([dgimsuvy]*)$/;

const text = (max: number) => z.string().check(z.maxLength(max));
const members = () =>
  z.record(text(128).check(z.minLength(1)), text(1_024)).check(
    z.refine((record) => Object.keys(record).length <= MAX_MEMBERS, {
      error: `at most ${MAX_MEMBERS} members`,
    }),
  );
const count = () => z.optional(z.int().check(z.gte(0), z.lte(1_000_000)));

/** A matcher as JSON carries it (regexes as `/regex/flags` strings). */
export const RequestMatcherSchema = z.strictObject({
  method: z.optional(
    z.string().check(z.regex(/^[A-Za-z]{1,16}$/, { error: 'must be an HTTP method, e.g. POST' })),
  ),
  path: z.optional(text(2_048).check(z.minLength(1))),
  query: z.optional(members()),
  headers: z.optional(members()),
  body: z.optional(z.unknown()),
});

/** The body of `POST /__admin/requests/verify`. */
export const VerifyRequestSchema = z.strictObject({
  matcher: RequestMatcherSchema,
  times: count(),
  atLeast: count(),
  atMost: count(),
  within: z.optional(
    z
      .int()
      .check(
        z.gte(0),
        z.lte(MAX_VERIFY_WITHIN_MS, { error: `must be at most ${MAX_VERIFY_WITHIN_MS} ms` }),
      ),
  ),
});
export type VerifyRequest = z.input<typeof VerifyRequestSchema>;

/** A string or regex compiled once, shown as given. */
interface Pattern {
  test(value: string): boolean;
  shown: string;
}

type BodyPattern =
  | { kind: 'text'; pattern: Pattern }
  | { kind: 'object'; members: [string, BodyPattern][] }
  | { kind: 'array'; items: BodyPattern[] }
  | { kind: 'value'; value: unknown };

/** A validated matcher, ready to compare entries. */
export interface CompiledMatcher {
  method?: string;
  path?: Pattern;
  query: [string, Pattern][];
  headers: [string, Pattern][];
  body?: BodyPattern;
  /** The matcher as the report names it, e.g. `POST /v1/generate body {"prompt":"a fox"}`. */
  shown: string;
}

/** One field of an entry that a matcher refused. */
export interface FieldDiff {
  /** `method`, `path`, `query.page`, `headers.idempotency-key`, `body.prompt`, `body.tags[0]`… */
  field: string;
  expected: string;
  actual: string;
}

/** A validated verification: its matcher compiled and its count bounds resolved. */
export interface Expectation {
  matcher: CompiledMatcher;
  min: number;
  max: number;
  within: number;
  /** `exactly 1`, `at least 2`, `between 1 and 3`… */
  shownCount: string;
}

/**
 * A verification's input validated and compiled: VALIDATION_ERROR naming the bad member (an
 * unknown field, a bad regex, a body too deep or too large, conflicting counts). `fingerprintOf`
 * shows an expected raw key as the journal does.
 */
export function compileExpectation(
  input: unknown,
  fingerprintOf: (key: string) => string,
): Expectation {
  const valid = parseInput(VerifyRequestSchema, toJsonForm(input));
  const { times, atLeast, atMost } = valid;
  if (times !== undefined && (atLeast !== undefined || atMost !== undefined)) {
    throw validationError([{ path: 'times', message: 'give times, or atLeast/atMost, not both' }]);
  }
  if (atLeast !== undefined && atMost !== undefined && atLeast > atMost) {
    throw validationError([{ path: 'atLeast', message: 'must not exceed atMost' }]);
  }
  const [min, max] =
    atLeast === undefined && atMost === undefined
      ? [times ?? 1, times ?? 1]
      : [atLeast ?? 0, atMost ?? Number.POSITIVE_INFINITY];
  return {
    matcher: compileMatcher(valid.matcher, fingerprintOf),
    min,
    max,
    within: valid.within ?? 0,
    shownCount: shownCount(min, max),
  };
}

/** Every field of `entry` that `matcher` refuses (none: it matches). */
export function diffEntry(matcher: CompiledMatcher, entry: JournalEntry): FieldDiff[] {
  const diffs: FieldDiff[] = [];
  if (matcher.method !== undefined && matcher.method !== entry.method) {
    diffs.push({ field: 'method', expected: matcher.method, actual: entry.method });
  }
  if (matcher.path && !matcher.path.test(entry.path)) {
    diffs.push({ field: 'path', expected: matcher.path.shown, actual: shown(entry.path) });
  }
  for (const [name, pattern] of matcher.query) {
    const value = Object.hasOwn(entry.query, name) ? entry.query[name] : undefined;
    const values = value === undefined ? [] : [value].flat();
    if (!values.some((v) => pattern.test(v))) {
      diffs.push({ field: `query.${name}`, expected: pattern.shown, actual: shown(value) });
    }
  }
  for (const [name, pattern] of matcher.headers) {
    const value = Object.hasOwn(entry.headers, name) ? entry.headers[name] : undefined;
    if (value === undefined || !pattern.test(value)) {
      diffs.push({ field: `headers.${name}`, expected: pattern.shown, actual: shown(value) });
    }
  }
  if (matcher.body) diffBody(matcher.body, entry.body, 'body', diffs);
  return diffs;
}

/** A `RegExp` anywhere in the input becomes its `/source/flags` string, as JSON carries it. */
function toJsonForm(input: unknown, depth = 0): unknown {
  if (input instanceof RegExp) return String(input);
  if (depth > MAX_BODY_DEPTH + 4 || typeof input !== 'object' || input === null) return input;
  if (Array.isArray(input)) return input.map((item) => toJsonForm(item, depth + 1));
  return Object.fromEntries(
    Object.entries(input).map(([key, value]) => [key, toJsonForm(value, depth + 1)]),
  );
}

function compileMatcher(
  matcher: z.output<typeof RequestMatcherSchema>,
  fingerprintOf: (key: string) => string,
): CompiledMatcher {
  const headers = Object.entries(matcher.headers ?? {}).map(([name, value]): [string, Pattern] => {
    const lower = name.toLowerCase();
    const isRegex = REGEX_LITERAL.test(value);
    // A raw key in the matcher is compared, and shown, as the journal keeps it.
    const expected =
      lower === 'authorization' && !isRegex ? shownAuthorization(value, fingerprintOf) : value;
    return [lower, pattern(expected, `matcher.headers.${name}`)];
  });
  const compiled: CompiledMatcher = {
    method: matcher.method?.toUpperCase(),
    path: matcher.path === undefined ? undefined : pattern(matcher.path, 'matcher.path'),
    query: Object.entries(matcher.query ?? {}).map(([name, value]) => [
      name,
      pattern(value, `matcher.query.${name}`),
    ]),
    headers,
    shown: '',
  };
  if (matcher.body !== undefined) compiled.body = compileBody(matcher.body);
  compiled.shown = shownMatcher(compiled, matcher.body);
  return compiled;
}

function compileBody(body: unknown): BodyPattern {
  let json: string | undefined;
  try {
    json = JSON.stringify(body);
  } catch {
    json = undefined;
  }
  if (json === undefined) {
    throw validationError([{ path: 'matcher.body', message: 'must be JSON' }]);
  }
  if (json.length > MAX_BODY_CHARS) {
    throw validationError([
      { path: 'matcher.body', message: `must be at most ${MAX_BODY_CHARS} characters as JSON` },
    ]);
  }
  return bodyPattern(JSON.parse(json) as unknown, 'matcher.body', 0);
}

function bodyPattern(value: unknown, path: string, depth: number): BodyPattern {
  if (depth > MAX_BODY_DEPTH) {
    throw validationError([
      { path: 'matcher.body', message: `must nest at most ${MAX_BODY_DEPTH} levels` },
    ]);
  }
  if (typeof value === 'string') return { kind: 'text', pattern: pattern(value, path) };
  if (Array.isArray(value)) {
    return {
      kind: 'array',
      items: value.map((item, i) => bodyPattern(item, `${path}[${i}]`, depth + 1)),
    };
  }
  if (typeof value === 'object' && value !== null) {
    return {
      kind: 'object',
      members: Object.entries(value).map(([key, member]) => [
        key,
        bodyPattern(member, `${path}.${key}`, depth + 1),
      ]),
    };
  }
  return { kind: 'value', value };
}

function diffBody(expected: BodyPattern, actual: unknown, field: string, diffs: FieldDiff[]) {
  switch (expected.kind) {
    case 'text':
      if (typeof actual !== 'string' || !expected.pattern.test(actual)) {
        diffs.push({ field, expected: expected.pattern.shown, actual: shown(actual) });
      }
      return;
    case 'value':
      if (actual !== expected.value) {
        diffs.push({ field, expected: shown(expected.value), actual: shown(actual) });
      }
      return;
    case 'array':
      if (!Array.isArray(actual) || actual.length !== expected.items.length) {
        diffs.push({
          field,
          expected: `an array of ${expected.items.length}`,
          actual: shown(actual),
        });
        return;
      }
      expected.items.forEach((item, i) => diffBody(item, actual[i], `${field}[${i}]`, diffs));
      return;
    case 'object': {
      if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) {
        diffs.push({ field, expected: 'an object', actual: shown(actual) });
        return;
      }
      const record = actual as Record<string, unknown>;
      for (const [key, member] of expected.members) {
        diffBody(
          member,
          Object.hasOwn(record, key) ? record[key] : undefined,
          `${field}.${key}`,
          diffs,
        );
      }
    }
  }
}

/** A string to match exactly, or a `/regex/flags`; VALIDATION_ERROR at `path` for a bad regex. */
function pattern(value: string, path: string): Pattern {
  const literal = REGEX_LITERAL.exec(value);
  if (!literal) return { test: (actual) => actual === value, shown: JSON.stringify(value) };
  // `g` and `y` make `test` stateful: they are dropped.
  const flags = literal[2]!.replace(/[gy]/g, '');
  let regex: RegExp;
  try {
    regex = new RegExp(literal[1]!, flags);
  } catch (error) {
    throw validationError([
      { path, message: `invalid regular expression: ${(error as Error).message}` },
    ]);
  }
  return { test: (actual) => regex.test(actual), shown: `/${literal[1]}/${flags}` };
}

/** A value as a report shows it: JSON, cut at 80 characters; `nothing` when absent. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  // Only JSON reaches here (entries and matchers are JSON), so stringify always gives text.
  const json = JSON.stringify(value) ?? 'undefined';
  return json.length <= 80 ? json : `${json.slice(0, 79)}…`;
}

function shownMatcher(matcher: CompiledMatcher, body: unknown): string {
  const parts = [matcher.method ?? 'any method', matcher.path?.shown ?? 'any path'];
  // A literal path reads better bare: POST /v1/generate.
  if (matcher.path && matcher.path.shown.startsWith('"'))
    parts[1] = JSON.parse(matcher.path.shown) as string;
  const named = (pairs: [string, Pattern][]) =>
    `{${pairs.map(([name, p]) => `${JSON.stringify(name)}:${p.shown}`).join(',')}}`;
  if (matcher.query.length > 0) parts.push(`query ${named(matcher.query)}`);
  if (matcher.headers.length > 0) parts.push(`headers ${named(matcher.headers)}`);
  if (body !== undefined) parts.push(`body ${JSON.stringify(body)}`);
  return parts.join(' ');
}

function shownCount(min: number, max: number): string {
  const requests = (n: number) => `${n} request${n === 1 ? '' : 's'}`;
  if (min === max) return `exactly ${requests(min)}`;
  if (max === Number.POSITIVE_INFINITY) return `at least ${requests(min)}`;
  if (min === 0) return `at most ${requests(max)}`;
  return `between ${min} and ${requests(max)}`;
}
