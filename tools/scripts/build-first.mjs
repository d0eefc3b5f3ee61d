// @ts-check
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Builds the given Nx projects (and what they depend on; cached) before a script uses their
 * dist/ output. Prints the build log only when it fails, then exits.
 * @param {string[]} projects
 */
export function buildFirst(projects) {
  // Set by callers that already built everything (the workspace tests run after every build).
  if (process.env.EGGAPI_SKIP_BUILD === '1') return;
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const build = spawnSync(
    'npx',
    ['nx', 'run-many', '-t', 'build', '-p', ...projects, '--output-style=static'],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
    },
  );
  if (build.status !== 0) {
    process.stderr.write(
      `${build.stdout}${build.stderr}\nbuilding ${projects.join(', ')} failed\n`,
    );
    process.exit(build.status ?? 1);
  }
}
