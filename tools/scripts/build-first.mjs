// @ts-check
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** `> nx run @eggapi/contracts:build  [local cache]`: one line per task Nx runs or restores. */
const TASK_LINE = /^> nx run (\S+):build(.*)$/;

/**
 * Builds the given Nx projects (and what they depend on; cached) before a script uses their
 * dist/ output. Says on stderr that it is building and names each project as Nx gets to it, with
 * the time so far and whether it came from the cache; prints Nx's whole log only when the build
 * fails, then exits with its code. `EGGAPI_SKIP_BUILD=1` skips it (for callers that built already).
 * @param {string[]} projects
 * @returns {Promise<void>}
 */
export async function buildFirst(projects) {
  if (process.env.EGGAPI_SKIP_BUILD === '1') return;
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const started = performance.now();
  const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const say = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);
  say(
    `Building ${projects.join(', ')} and what it needs with Nx ` +
      '(about 30 s the first time, a few seconds once cached)…',
  );
  const nx = spawn(
    'npx',
    ['nx', 'run-many', '-t', 'build', '-p', ...projects, '--output-style=static'],
    {
      cwd: root,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  /** @type {string[]} */
  const log = [];
  for (const stream of [nx.stdout, nx.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      log.push(line);
      const task = TASK_LINE.exec(line);
      if (task) {
        const cached = /cache|left as is/.test(task[2] ?? '') ? ' (from the cache)' : '';
        say(`  ${seconds().padStart(7)}  ${task[1]}${cached}`);
      }
    });
  }
  const code = await new Promise((resolve) => nx.on('close', resolve));
  if (code !== 0) {
    say(`${log.join('\n')}\nbuilding ${projects.join(', ')} failed`);
    process.exit(typeof code === 'number' ? code : 1);
  }
  say(`Built in ${seconds()}.`);
}
