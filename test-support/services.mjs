// @ts-check
// Test services shared by every package's tests: private instances of the programs a suite needs
// (redis-server, Chromium), started on free ports or in their own directories and stopped by the
// suite. A root-level module like vitest.shared.mjs: importing it adds no project-graph edge.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Whether `command` is installed. When it is not: under `CI=true` this throws (CI installs it, so
 * its absence is a failure); locally it prints a loud notice naming the Debian package and
 * returns `false`, so the suite can skip.
 * @param {string} command
 * @param {string} debianPackage
 * @param {string} suite
 */
export function serviceAvailable(command, debianPackage, suite) {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
  if (found) return true;
  const message = `${suite} needs \`${command}\`, which is not installed: apt-get install -y ${debianPackage}`;
  if (process.env.CI === 'true')
    throw new Error(`${message} (CI=true: failing instead of skipping)`);
  const bar = '!'.repeat(Math.min(100, message.length + 12));
  console.warn(`\n${bar}\n!!! SKIPPED: ${message}\n${bar}\n`);
  return false;
}

/** A free TCP port on 127.0.0.1 (the OS picks it; it is free when this resolves). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Answers `PING` with `+PONG` within `timeoutMs`?
 * @param {number} port
 */
function ping(port, timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    const done = (/** @type {boolean} */ ok) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/**
 * One command on a fresh connection; resolves with the raw reply once one has arrived.
 * @param {number} port
 * @param {string[]} words
 * @returns {Promise<string>}
 */
function command(port, words) {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    socket.once('error', reject);
    socket.on('data', (data) => {
      reply += data.toString();
      if (reply.endsWith('\r\n')) {
        socket.end();
        resolve(reply);
      }
    });
    socket.once('connect', () =>
      socket.write(
        `*${words.length}\r\n${words.map((w) => `$${Buffer.byteLength(w)}\r\n${w}\r\n`).join('')}`,
      ),
    );
  });
}

/**
 * A private `redis-server` on a free port with its own directory (never a shared or default
 * port). `appendonly: true` keeps its data across `restart()` (AOF, fsync always).
 * @param {{ appendonly?: boolean }} [options]
 */
export async function startRedisServer(options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'eggapi-redis-'));
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let child;
  let port = 0;
  let output = '';

  const launch = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''];
    args.push('--daemonize', 'no', '--protected-mode', 'no', '--enable-debug-command', 'local');
    if (options.appendonly) args.push('--appendonly', 'yes', '--appendfsync', 'always');
    else args.push('--appendonly', 'no');
    child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d) => (output = (output + String(d)).slice(-4000)));
    child.stderr?.on('data', (d) => (output = (output + String(d)).slice(-4000)));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) break;
      if (await ping(port)) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGKILL');
    throw new Error(`redis-server did not start on port ${port}:\n${output}`);
  };

  const stop = async (/** @type {NodeJS.Signals} */ signal = 'SIGTERM') => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  };

  for (let tries = 0; ; tries++) {
    port = /** @type {number} */ (await freePort());
    try {
      await launch();
      break;
    } catch (error) {
      if (tries >= 2) throw error;
    }
  }

  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    /** Stops the server (SIGTERM: a clean shutdown that writes the AOF), keeping its data. */
    stop: () => stop(),
    /** Kills the server at once. */
    kill: () => stop('SIGKILL'),
    /** Starts it again on the same port and directory (after `stop` or `kill`). */
    start: async () => {
      if (!child) await launch();
    },
    /**
     * Stalls the server for `ms` (`DEBUG SLEEP`: every client waits, connections stay open, as
     * when Redis is swapping or saving); resolves when it answers again.
     * @param {number} ms
     */
    stall: (ms) => command(port, ['DEBUG', 'SLEEP', String(ms / 1000)]),
    /**
     * Sends one command and resolves with its raw reply (RESP text).
     * @param {string[]} words
     */
    command: (words) => command(port, words),
    /** Stops the server and removes its directory. */
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, which `.ci/run` installs (no browser download). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Chromium's flags for tests on this kind of machine (as root, with no network): headless, no
 * sandbox (root), no GPU, and none of the background traffic (QUIC, component updates, sync)
 * that would otherwise flood the closed network.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches Debian's Chromium with playwright-core (a fresh profile each time), or returns
 * `undefined` when `chromium` is not installed: locally after a loud notice, so the suite can
 * skip; under `CI=true` it throws instead (see `serviceAvailable`). Close the browser after use.
 * @param {string} suite what needs it, for the notice
 * @returns {Promise<import('playwright-core').Browser | undefined>}
 */
export async function launchChromium(suite) {
  if (!serviceAvailable('chromium', 'chromium', suite)) return undefined;
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
    timeout: 30_000,
  });
}
