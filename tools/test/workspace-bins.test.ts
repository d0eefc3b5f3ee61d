import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, run, workspacePackages } from './support/workspace.js';

/**
 * npm links a workspace package's commands into node_modules/.bin at install time only when the
 * `bin` target exists then; a target in dist/ does not (nothing is built yet), so `npx <command>`
 * in the repository went to the registry and answered 404. Every bin target must therefore be a
 * committed file.
 */
const committed = new Set(
  execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n'),
);

const bins = workspacePackages().flatMap((pkg) =>
  Object.entries(pkg.manifest.bin ?? {}).map(
    ([bin, target]) => [bin, relative(ROOT, join(pkg.dir, target))] as const,
  ),
);

describe('the commands of the workspace packages', () => {
  it('are eggapi, eggapi-conformance and eggapi-mock', () => {
    expect(bins.map(([bin]) => bin).sort()).toEqual([
      'eggapi',
      'eggapi-conformance',
      'eggapi-mock',
    ]);
  });

  it.each(bins)('%s points at a committed file (%s), which exists at install time', (_, file) => {
    expect(committed.has(file), `${file} is not in git ls-files`).toBe(true);
  });

  it.each([
    ['eggapi', /^Usage: eggapi \[options\] \[command\]/],
    ['eggapi-conformance', /^Usage: eggapi-conformance --base-url/],
  ])('npx %s --help runs the local command in the repository', async (command, usage) => {
    const { stdout } = await run('npx', ['--no', '--', command, '--help'], { cwd: ROOT });
    expect(stdout).toMatch(usage);
  });

  it.each([
    ['eggapi', 'packages/cli/bin/eggapi.mjs'],
    ['eggapi-conformance', 'packages/conformance/bin/eggapi-conformance.mjs'],
  ])('%s says to build first when dist/ is missing', async (command, source) => {
    const dir = mkdtempSync(join(tmpdir(), 'eggapi-bin-'));
    try {
      mkdirSync(join(dir, 'bin'));
      const bin = join(dir, 'bin', `${command}.mjs`);
      copyFileSync(join(ROOT, source), bin);
      const failure = await run(process.execPath, [bin, '--help']).then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failure?.code).toBe(1);
      expect(failure?.stderr).toMatch(/dist\/cli\.js is missing.*Run `npm run build` first/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
