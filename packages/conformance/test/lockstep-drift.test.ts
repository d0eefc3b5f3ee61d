import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFiles, ROOT, typeErrors, type Drift } from './support/type-errors.js';
const TASK_SCHEMA = join(ROOT, 'packages/contracts/src/schemas/task.ts');

/** Renames the task's `status` member in the contract, as a breaking contract change would. */
const RENAME_STATUS: Drift = {
  file: TASK_SCHEMA,
  from: '  status: TaskStatusSchema,',
  to: '  state: TaskStatusSchema,',
};

describe('changing a contract field', () => {
  // The mock's routes and rules are the engine's: the Node server serves them as they are.
  // What is compiled is what the build compiles (the source, not the tests: the projects' own
  // check covers those), with the contract resolved to its source so the change reaches it.
  it.each(['packages/client', 'packages/mock-engine'])(
    'breaks the build of %s, which compiles cleanly against the real contract',
    (project) => {
      const files = buildFiles(project);
      expect(files.length).toBeGreaterThan(5);
      expect(files.some((file) => /\.test\.ts$/.test(file))).toBe(false);
      expect(typeErrors(project, undefined, files)).toEqual([]);
      const errors = typeErrors(project, RENAME_STATUS, files);
      expect(errors.length).toBeGreaterThan(0);
      expect(
        errors.some((e) => /'status'|'state'/.test(e)),
        errors.join('\n'),
      ).toBe(true);
      expect(
        errors.some((e) => e.startsWith(`${project}/src/`)),
        errors.join('\n'),
      ).toBe(true);
    },
    120_000,
  );

  it('is applied to the contracts source the projects really use', () => {
    expect(dirname(TASK_SCHEMA)).toMatch(/packages\/contracts\/src\/schemas$/);
    expect(readFileSync(TASK_SCHEMA, 'utf8')).toContain(RENAME_STATUS.from);
  });
});
