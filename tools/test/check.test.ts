import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkProject,
  CheckUsageError,
  defaultProjects,
  ParsedFiles,
  typecheckConfigs,
  workspaceProjectDirs,
} from '../scripts/check.mjs';
import { nxProject, ROOT, workspacePackages } from './support/workspace.js';

const CHECK = join(ROOT, 'tools/scripts/check.mjs');
const runNode = promisify(execFile);

/**
 * A scratch project at the repository root (outside every project, so no project's own check or
 * lint sees it), under the repository's ESLint configuration and tsconfig.base.json.
 */
function scratchProject(typecheck: string, files: Record<string, string>): string {
  const dir = mkdtempSync(join(ROOT, '.check-scratch-'));
  const base = { extends: '../tsconfig.base.json' };
  const all: Record<string, string> = {
    'package.json': JSON.stringify({
      name: 'scratch',
      private: true,
      type: 'module',
      scripts: { typecheck },
    }),
    'tsconfig.json': JSON.stringify({
      ...base,
      compilerOptions: { noEmit: true },
      include: ['src/**/*.ts'],
    }),
    ...files,
  };
  for (const [name, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function runCheck(...dirs: string[]) {
  return runNode(process.execPath, [CHECK, ...dirs], { cwd: ROOT }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('check: the typecheck and the lint of a project in one process', () => {
  let broken: string;
  beforeAll(() => {
    broken = scratchProject('tsc -p tsconfig.json --noEmit && tsc -p tsconfig.web.json', {
      'tsconfig.web.json': JSON.stringify({
        extends: '../tsconfig.base.json',
        compilerOptions: { noEmit: true, lib: ['ES2023', 'DOM'], types: [] },
        files: ['src/web.ts'],
      }),
      // Fine with Node's types (tsconfig.json), an error without them (tsconfig.web.json).
      'src/web.ts': 'export const pid: number = process.pid;\n',
      'src/typed.ts': "export const count: number = 'one';\n",
      // Only a type-aware rule sees this: the programs reach ESLint's rules.
      'src/floating.ts':
        'async function later(): Promise<void> {}\nexport function fire(): void {\n  later();\n}\n',
      // In no tsconfig: unparsable with type information, as with ESLint's project service.
      'other/orphan.ts': 'export const orphan = 1;\n',
    });
    scratch.push(broken);
  });

  it('reports every config’s type errors and the type-aware lint errors, and exits 1', async () => {
    const { code, stdout } = await runCheck(broken);
    expect(code).toBe(1);
    expect(stdout).toContain("src/typed.ts(1,14): error TS2322: Type 'string' is not assignable");
    expect(stdout).toMatch(/src\/web\.ts\(1,28\): error TS2591: Cannot find name 'process'/);
    expect(stdout).toContain('@typescript-eslint/no-floating-promises');
    expect(stdout).toMatch(
      /not found in any of the provided program instance\(s\): \S+\/other\/orphan\.ts/,
    );
    expect(stdout).toMatch(/: 2 type error\(s\), 2 lint error\(s\), 0 warning\(s\) in/);
  }, 60_000);

  it('passes a clean project, .mjs scripts linted without type information', async () => {
    const clean = scratchProject('tsc -p tsconfig.json --noEmit', {
      'src/index.ts': 'export function twice(n: number): number {\n  return n * 2;\n}\n',
      'scripts/run.mjs': 'export const value = 1;\n',
    });
    scratch.push(clean);
    const result = await checkProject(clean);
    expect(result).toEqual({ typeErrors: 0, lintErrors: 0, lintWarnings: 0, output: '' });
  }, 60_000);

  it('refuses a project whose typecheck script names no config (exit 2)', async () => {
    const none = scratchProject('echo nothing to check', {});
    scratch.push(none);
    expect(() => typecheckConfigs(none)).toThrow(CheckUsageError);
    const { code, stderr } = await runCheck(none);
    expect(code).toBe(2);
    expect(stderr).toMatch(/runs no "tsc -p <config>"/);
  });

  it('takes the configs from the typecheck script, in order', () => {
    const dir = scratchProject(
      'tsc -p tsconfig.json --noEmit && tsc --pretty false --project tsconfig.msw.json && tsc -p console/tsconfig.json',
      {},
    );
    scratch.push(dir);
    expect(typecheckConfigs(dir)).toEqual([
      'tsconfig.json',
      'tsconfig.msw.json',
      'console/tsconfig.json',
    ]);
  });

  describe('a file of another project, imported', () => {
    let upstream: string;
    let importer: string;
    beforeAll(() => {
      upstream = scratchProject('tsc -p tsconfig.json --noEmit', {
        'src/typed.ts': "export const count: number = 'one';\n",
        // Fine with Node's types, an error in the importer's Node-free proof config.
        'src/uses-process.ts': 'export const pid: number = process.pid;\n',
      });
      const from = `../../${basename(upstream)}/src`;
      importer = scratchProject('tsc -p tsconfig.json --noEmit && tsc -p tsconfig.web.json', {
        'tsconfig.web.json': JSON.stringify({
          extends: '../tsconfig.base.json',
          compilerOptions: { noEmit: true, lib: ['ES2023', 'DOM'], types: [] },
          files: ['src/web.ts'],
        }),
        'src/index.ts': `import { count } from '${from}/typed.js';\nexport const twice = count * 2;\n`,
        'src/web.ts': `export { pid } from '${from}/uses-process.js';\n`,
      });
      scratch.push(upstream, importer);
    });

    it('is left to its own project’s check by tsconfig.json, but not by a proof config', async () => {
      const result = await checkProject(importer, { otherProjects: [upstream] });
      expect(result.output).not.toContain('typed.ts');
      expect(result.output).toMatch(
        /uses-process\.ts\(1,28\): error TS2591: Cannot find name 'process'/,
      );
      expect(result.typeErrors).toBe(1);
      // …whose own check reports it.
      expect((await checkProject(upstream, { otherProjects: [importer] })).output).toContain(
        "src/typed.ts(1,14): error TS2322: Type 'string' is not assignable",
      );
    }, 60_000);

    /** A project whose nested console/tsconfig.json (module ESNext, Bundler) imports typed.ts. */
    function withConsole(): string {
      const project = scratchProject(
        'tsc -p tsconfig.json --noEmit && tsc -p console/tsconfig.json',
        {
          'src/index.ts': 'export const one = 1;\n',
          'console/tsconfig.json': JSON.stringify({
            extends: '../../tsconfig.base.json',
            compilerOptions: { noEmit: true, module: 'ESNext', moduleResolution: 'Bundler' },
            include: ['*.ts'],
          }),
          'console/app.ts': `import { count } from '../../${basename(upstream)}/src/typed.js';\nexport const shown = count;\n`,
        },
      );
      scratch.push(project);
      return project;
    }

    it('is reported by a nested tsconfig.json (the console’s), as by a proof config', async () => {
      const result = await checkProject(withConsole(), { otherProjects: [upstream] });
      expect(result.output).toContain(
        "typed.ts(1,14): error TS2322: Type 'string' is not assignable",
      );
      expect(result.typeErrors).toBe(1);
    }, 60_000);

    it('is found by its real path when the projects are reached through symbolic links', async () => {
      const links = mkdtempSync(join(tmpdir(), 'eggapi-check-links-'));
      scratch.push(links);
      symlinkSync(importer, join(links, 'importer'));
      symlinkSync(upstream, join(links, 'upstream'));
      const result = await checkProject(join(links, 'importer'), {
        otherProjects: [join(links, 'upstream')],
      });
      expect(result.output).not.toContain('typed.ts');
      expect(result.typeErrors).toBe(1);
    }, 60_000);

    it('gives the same reports when the projects of one run share their parsed files', async () => {
      const console = withConsole();
      const projects = [upstream, importer, console];
      const otherProjects = (project: string) => projects.filter((p) => p !== project);
      const alone = [];
      for (const project of projects) {
        alone.push(await checkProject(project, { otherProjects: otherProjects(project) }));
      }
      const parsedFiles = new ParsedFiles();
      const shared = [];
      for (const project of projects) {
        shared.push(
          await checkProject(project, { otherProjects: otherProjects(project), parsedFiles }),
        );
      }
      expect(shared).toEqual(alone);
      expect(alone.map((r) => r.typeErrors)).toEqual([1, 1, 1]);
      // TypeScript's libs, Node's types and typed.ts were parsed once (ESNext/Bundler too).
      expect(parsedFiles.reused).toBeGreaterThan(10);
    }, 60_000);

    it('is reported when it belongs to no other project', async () => {
      const result = await checkProject(importer, { otherProjects: [] });
      expect(result.output).toContain(
        "typed.ts(1,14): error TS2322: Type 'string' is not assignable",
      );
      expect(result.typeErrors).toBe(2);
    }, 60_000);

    it('keeps its syntax errors in the importer’s report', async () => {
      const broken = scratchProject('tsc -p tsconfig.json --noEmit', {
        'src/syntax.ts': 'export const = 1;\n',
      });
      const user = scratchProject('tsc -p tsconfig.json --noEmit', {
        'src/index.ts': `export * from '../../${basename(broken)}/src/syntax.js';\n`,
      });
      scratch.push(broken, user);
      const result = await checkProject(user, { otherProjects: [broken] });
      expect(result.output).toMatch(/syntax\.ts\(1,14\): error TS1134/);
    }, 60_000);
  });

  it('leaves to each workspace project the files under it (the workspaces of the root package.json)', () => {
    const dirs = workspaceProjectDirs(join(ROOT, 'apps/mock-server/src'));
    expect(dirs).toEqual(
      expect.arrayContaining([
        join(ROOT, 'packages/contracts'),
        join(ROOT, 'apps/mock-server'),
        join(ROOT, 'tools'),
      ]),
    );
    expect(dirs).toHaveLength(workspacePackages().length + 1);
    expect(workspaceProjectDirs('/')).toEqual([]);
  });

  it('is the root’s check, run by Nx, for every workspace project and each config its typecheck compiles', () => {
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      nx: { includedScripts: string[] };
    };
    expect(root.scripts.check).toBe('node tools/scripts/check.mjs');
    expect(root.nx.includedScripts).toContain('check');
    expect(root.scripts.test).toMatch(/nx run-many -t .*\bcheck\b/);
    const projects = [...workspacePackages().map((pkg) => pkg.dir), join(ROOT, 'tools')];
    expect(projects.length).toBeGreaterThanOrEqual(8);
    expect(defaultProjects(ROOT).sort()).toEqual(projects.sort());
    for (const dir of projects) {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      };
      // One process for all: a project's own check script would run a second time under Nx.
      expect(manifest.scripts.check, dir).toBeUndefined();
      expect(typecheckConfigs(dir).length, dir).toBeGreaterThan(0);
      expect(defaultProjects(dir), dir).toEqual([dir]);
    }
  });

  it('is cached by Nx on every file of the workspace (a root target: its own files are few)', async () => {
    const { targets } = await nxProject('eggapi-toolkit');
    for (const target of ['check', 'format:check']) {
      expect(targets[target]?.inputs, target).toEqual(['{workspaceRoot}/**/*']);
    }
  }, 60_000);

  it('checks every project it is given in one run, reporting each, and exits with the worst outcome', async () => {
    const clean = scratchProject('tsc -p tsconfig.json --noEmit', {
      'src/index.ts': 'export const one = 1;\n',
    });
    const unusable = scratchProject('echo no tsc here', {});
    scratch.push(clean, unusable);
    const failing = await runCheck(clean, broken);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain(`check ${basename(clean)}: 0 type error(s), 0 lint error(s)`);
    expect(failing.stdout).toContain(`check ${basename(broken)}: 2 type error(s), 2 lint error(s)`);
    expect(failing.stdout).toMatch(/check: 2 projects, 2 type error\(s\), 2 lint error\(s\) in/);

    // A project that cannot be checked: exit 2, the others checked all the same; so when
    // checking it throws (ESLint finds no file to lint).
    const nothingToLint = scratchProject('tsc -p tsconfig.json --noEmit', {
      'tsconfig.json': JSON.stringify({ extends: '../tsconfig.base.json', files: [] }),
    });
    scratch.push(nothingToLint);
    const thrown = await runCheck(nothingToLint, clean);
    expect(thrown.code).toBe(2);
    expect(thrown.stderr).toMatch(/could not be checked: .*All files matched by '\.' are ignored/);
    expect(thrown.stdout).toMatch(
      /check: 2 projects, \d+ type error\(s\), 0 lint error\(s\), 1 not checked/,
    );
    expect(thrown.stdout).toContain(`check ${basename(clean)}: 0 type error(s), 0 lint error(s)`);

    const mixed = await runCheck(unusable, broken);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain(`check ${basename(unusable)}: the "typecheck" script`);
    expect(mixed.stdout).toContain(`check ${basename(broken)}: 2 type error(s)`);
    expect(mixed.stdout).toMatch(
      /check: 2 projects, 2 type error\(s\), 2 lint error\(s\), 1 not checked in/,
    );
  }, 60_000);
});
