// @ts-check
// The one harness for the mock server run as a process (`eggapi-mock`, the built bin), shared by
// every package's tests: spawn it, read its banner for the URL, keep its output, stop it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The mock server's bin and the bundle it runs (built by `npm run build`). */
export const MOCK_BIN = fileURLToPath(
  new URL('../apps/mock-server/bin/eggapi-mock.cjs', import.meta.url),
);
const MOCK_BUNDLE = fileURLToPath(new URL('../apps/mock-server/dist/cli.cjs', import.meta.url));

/**
 * Spawns `node <command…>` (the mock's bin and `args` unless `command` is given) with piped
 * output. `url` resolves with the URL of its `listening on <url>` banner (or of `banner`'s first
 * group), and rejects, naming what it printed, if it exits first or does not get there in time.
 * @param {import('./mock-process.d.mts').MockProcessOptions} [options]
 * @returns {import('./mock-process.d.mts').MockProcessHandle}
 */
export function spawnMockProcess(options = {}) {
  const { args = [], env = {}, node = process.execPath, cwd, name = 'the mock' } = options;
  const { banner = /listening on (http:\/\/\S+)/, startTimeoutMs = 15_000 } = options;
  if (!options.command && !existsSync(MOCK_BUNDLE)) {
    throw new Error(`${MOCK_BUNDLE} is missing: run \`npm run build\` first`);
  }
  const child = spawn(node, options.command ?? [MOCK_BIN, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  /** @type {Promise<number | null>} */
  const exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  /** @type {Promise<string>} */
  const url = new Promise((resolve, reject) => {
    const printed = () => `stdout:\n${stdout}\nstderr:\n${stderr}`;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start within ${startTimeoutMs} ms:\n${printed()}`));
    }, startTimeoutMs);
    child.stdout.on('data', (/** @type {Buffer} */ chunk) => {
      stdout += chunk.toString();
      const match = banner.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(/** @type {string} */ (match[1]));
      }
    });
    child.stderr.on('data', (/** @type {Buffer} */ chunk) => {
      stderr = (stderr + chunk.toString()).slice(-20_000);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before listening:\n${printed()}`));
    });
  });
  url.catch(() => {}); // a test that expects an exit does not await the URL
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    url,
    exit,
    stdout: () => stdout,
    output: () => stdout + stderr,
    stop: async (killAfterMs = 5_000) => {
      if (running()) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      try {
        return await exit;
      } finally {
        clearTimeout(timer);
      }
    },
    kill: async () => {
      if (running()) child.kill('SIGKILL');
      await exit;
    },
  };
}
