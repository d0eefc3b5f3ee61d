import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TASK_SCHEMA = join(ROOT, 'packages/contracts/src/schemas/task.ts');

interface Drift {
  file: string;
  from: string;
  to: string;
}

/**
 * Type-checks a project (its tsconfig.json, sources and tests, contracts resolved to source) as
 * if `drift` had been applied to the contracts package, and returns the errors by file.
 */
function typeErrors(project: string, drift?: Drift): string[] {
  const configPath = join(ROOT, project, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  )!;
  const host = ts.createCompilerHost(parsed.options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, onError, shouldCreate) => {
    if (drift && fileName === drift.file) {
      const text = readFileSync(fileName, 'utf8');
      if (!text.includes(drift.from)) throw new Error(`drift target not found in ${fileName}`);
      return ts.createSourceFile(fileName, text.replace(drift.from, drift.to), language);
    }
    return getSourceFile(fileName, language, onError, shouldCreate);
  };
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: { ...parsed.options, noEmit: true },
    host,
  });
  const projectDir = join(ROOT, project);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && !relative(projectDir, d.file.fileName).startsWith('..'))
    .map(
      (d) =>
        `${relative(ROOT, d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
    );
}

/** Renames the task's `status` member in the contract, as a breaking contract change would. */
const RENAME_STATUS: Drift = {
  file: TASK_SCHEMA,
  from: '  status: TaskStatusSchema,',
  to: '  state: TaskStatusSchema,',
};

describe('changing a contract field', () => {
  it.each(['packages/client', 'apps/mock-server'])(
    'breaks the build of %s, which compiles cleanly against the real contract',
    (project) => {
      expect(typeErrors(project)).toEqual([]);
      const errors = typeErrors(project, RENAME_STATUS);
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
