import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NX_ENV, ROOT, run } from './support/workspace.js';

describe('npm start', () => {
  it('says that it builds, names each project as Nx builds it, then runs the mock CLI', async () => {
    // The packages are built already (this project's test target depends on every build), so
    // Nx restores them from its cache; the first build of a fresh clone prints the same lines.
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
