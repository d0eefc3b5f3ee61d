import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, typeErrors } from './support/type-errors.js';

const PROJECT = 'packages/conformance';
const ASSERTIONS = join(ROOT, PROJECT, 'test/lockstep.types.ts');

describe('the client and the contract agree on every route (test/lockstep.types.ts)', () => {
  it('type-checks: every type assertion of the lockstep file holds', () => {
    expect(typeErrors(PROJECT, undefined, [ASSERTIONS])).toEqual([]);
  }, 120_000);

  it('would fail if the client returned anything but a Task from tasks.get', () => {
    // The same file with one assertion made false: the check reports it, so it can fail.
    const errors = typeErrors(
      PROJECT,
      {
        file: ASSERTIONS,
        from: "expectTypeOf<Fetched['data']>().toEqualTypeOf<Task>();",
        to: "expectTypeOf<Fetched['data']>().toEqualTypeOf<UsageRecord>();",
      },
      [ASSERTIONS],
    );
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.startsWith(`${PROJECT}/test/lockstep.types.ts:`))).toBe(true);
  }, 120_000);
});
