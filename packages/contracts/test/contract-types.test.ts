import { describe, expect, it } from 'vitest';
import { typeErrors } from './support/compile.js';

/**
 * The contract's types, as users of ts-rest infer them from it: each claim is a snippet that
 * must compile, or must fail with exactly the expected error on its last line. (Type assertions
 * inside a test body are only checked by the typecheck target; these run as tests and can fail.)
 *
 * Not claimed: header types. With this zod 4 contract, @ts-rest/core 3.53.0-rc.1 infers the
 * headers of every route as `{}` (ClientInferRequest and ServerInferRequest alike, `authorization`
 * and `idempotency-key` both missing); the header schemas still validate at run time.
 */
const PRELUDE = `import type {
  ClientInferRequest,
  ClientInferResponses,
  ServerInferResponses,
} from '@ts-rest/core';
import { expectTypeOf } from 'vitest';
import type { Contract, Task, UsageRecord } from '../src/index.js';
type GenerateArgs = ClientInferRequest<Contract['generate']>;
type Created = Extract<ClientInferResponses<Contract['generate']>, { status: 202 }>;
`;
const LAST_LINE = PRELUDE.split('\n').length;

const VALID = `${PRELUDE}
expectTypeOf<GenerateArgs['body']['prompt']>().toEqualTypeOf<string>();
expectTypeOf<GenerateArgs['body']['num_outputs']>().toEqualTypeOf<number | undefined>();
expectTypeOf<Created['body']['data']>().toEqualTypeOf<Task>();
type Usage = Extract<ClientInferResponses<Contract['listUsage']>, { status: 200 }>;
expectTypeOf<Usage['body']['data']['items'][number]>().toEqualTypeOf<UsageRecord>();
type NotFound = Extract<ServerInferResponses<Contract['getTask']>, { status: 404 }>;
expectTypeOf<NotFound['body']['error']['message']>().toEqualTypeOf<string>();
`;

/** Misuses, each one line after the prelude. */
const MISUSES: Record<string, string> = {
  'a 201 answer from generate': `export const wrong: ServerInferResponses<Contract['generate']> = { status: 201, body: {} };`,
  'a numeric prompt': `export const bad: GenerateArgs['body'] = { model: 'nanobanana', prompt: 1 };`,
  'a model outside the catalog': `export const bad: GenerateArgs['body'] = { model: 'dall-e', prompt: 'x' };`,
  'an unknown route': `export type Nope = Contract['deleteTask'];`,
  'a created task read as a usage record': `expectTypeOf<Created['body']['data']>().toEqualTypeOf<UsageRecord>();`,
};

// One program for all snippets: a single type-check pass instead of one per claim.
const errors = typeErrors({
  valid: VALID,
  ...Object.fromEntries(
    Object.entries(MISUSES).map(([name, line]) => [name, `${PRELUDE}${line}\n`]),
  ),
});

describe("the contract's inferred types", () => {
  it('type the generate body, its 202 data, usage items and a 404 message', () => {
    expect(errors.valid).toEqual([]);
    expect(errors['']).toEqual([]);
  });

  it.each(Object.keys(MISUSES))('refuse %s', (name) => {
    expect(errors[name]!.length, 'the misuse compiles').toBeGreaterThan(0);
    expect(errors[name]!.filter((e) => e.line !== LAST_LINE)).toEqual([]);
  });
});
