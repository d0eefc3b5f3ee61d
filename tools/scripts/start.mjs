// @ts-check
/**
 * `npm start`: builds the mock server and what it depends on (Nx, cached), then runs its CLI
 * in this process with the arguments given after `npm start --`.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const build = spawnSync(
  'npx',
  ['nx', 'run', '@eggapi/mock-server:build', '--output-style=static'],
  { cwd: root, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } },
);
if (build.status !== 0) {
  process.stderr.write(
    `${build.stdout}${build.stderr}\nnpm start: building the mock server failed\n`,
  );
  process.exit(build.status ?? 1);
}
await import(new URL('../../apps/mock-server/dist/main.js', import.meta.url).href);
