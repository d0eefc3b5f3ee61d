import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NX_ENV, nxProject, ROOT, run } from './support/workspace.js';

/**
 * The tools project's `test-start` target, not its `test`: `npm start` builds with Nx, which
 * restores every package's dist/ from its cache (without a daemon Nx cannot tell the outputs on
 * disk are current, so it deletes and copies them), and for that moment a suite loading dist/
 * (a bin, a worker, a tarball being packed) would find it missing. So it runs after every suite.
 */
describe('npm start', () => {
  it('runs after every other suite (its Nx target depends on every test target)', async () => {
    const { targets } = await nxProject('@eggapi/tools');
    expect(targets['test-start']?.dependsOn).toEqual(
      expect.arrayContaining([
        { projects: '*', target: 'test' },
        { projects: '*', target: 'test-redis-store' },
      ]),
    );
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(root.scripts.test).toMatch(/\btest-start\b/);
    expect(targets.test).toBeDefined();
  });

  it('says that it builds, names each project as Nx builds it, then runs the mock CLI', async () => {
    // The packages are built already (this target depends on every build), so Nx restores them
    // from its cache; the first build of a fresh clone prints the same lines.
    const { stdout, stderr } = await run(
      process.execPath,
      [join(ROOT, 'tools/scripts/start.mjs'), '--help'],
      { cwd: ROOT, env: NX_ENV },
    );
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^Building @eggapi\/mock-server and what it needs with Nx/);
    const projects = lines.slice(1, -1).map((line) => /\s(@eggapi\/\S+)/.exec(line)?.[1]);
    expect(projects.sort()).toEqual([
      '@eggapi/contracts',
      '@eggapi/mock-engine',
      '@eggapi/mock-server',
      '@eggapi/webhook',
    ]);
    expect(lines.at(-1)).toMatch(/^Built in \d+\.\d s\.$/);
    expect(stdout).toMatch(/^Usage: eggapi-mock/);
  });
});
