import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Miniflare } from 'miniflare';
import { bundleExample, type BundledEntry } from './bundle.js';
import { LISTENING } from './mock-options.js';

const require = createRequire(import.meta.url);

/** A mock served over real HTTP on 127.0.0.1, and how to stop it (and everything it started). */
export interface ServedMock {
  url: string;
  /** What the runtime printed (the mock's errors included), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Where npm put each runtime's binary for this platform: the package of its optional dependency
 * (the root package.json denies the wrappers' install scripts, which only move it), else the
 * wrapper's bin when its script ran after all.
 */
const BINARIES: Record<'deno' | 'bun', Record<string, string>> = {
  deno: {
    'linux-x64': '@deno/linux-x64-glibc/deno',
    'linux-arm64': '@deno/linux-arm64-glibc/deno',
    'darwin-x64': '@deno/darwin-x64/deno',
    'darwin-arm64': '@deno/darwin-arm64/deno',
  },
  bun: {
    'linux-x64': '@oven/bun-linux-x64/bin/bun',
    'linux-arm64': '@oven/bun-linux-aarch64/bin/bun',
    'darwin-x64': '@oven/bun-darwin-x64/bin/bun',
    'darwin-arm64': '@oven/bun-darwin-aarch64/bin/bun',
  },
};

function resolved(path: string): string | undefined {
  try {
    return require.resolve(path);
  } catch {
    return undefined;
  }
}

/** The binary of `deno` or `bun` that runs here, with its version, or `undefined`. */
export function findRuntime(name: 'deno' | 'bun'): { path: string; version: string } | undefined {
  const platformBinary = BINARIES[name][`${process.platform}-${process.arch}`];
  const wrapper = resolved(`${name}/package.json`);
  const candidates = [
    platformBinary && resolved(platformBinary),
    wrapper && join(dirname(wrapper), name === 'bun' ? 'bin/bun.exe' : 'deno'),
  ];
  for (const path of candidates) {
    if (!path || !existsSync(path)) continue;
    const probe = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    if (probe.status === 0) return { path, version: probe.stdout.split('\n')[0]!.trim() };
  }
  return undefined;
}

/**
 * `found`, when a runtime was found. When not: under `CI=true` this throws (`npm ci` installs
 * every runtime, so its absence is a failure); elsewhere it prints a loud notice naming what to
 * install and returns `undefined`, so the suite skips.
 * @param install what brings the runtime, named in the notice
 */
export function available<T>(
  found: T | undefined,
  runtime: string,
  install: string,
): T | undefined {
  if (found) return found;
  const message = `the ${runtime} runtime tests need ${install}, which is not installed here: run \`npm ci\` at the repository root (without --omit=optional)`;
  if (process.env.CI === 'true')
    throw new Error(`${message} (CI=true: failing instead of skipping)`);
  const bar = '!'.repeat(Math.min(100, message.length + 12));
  console.warn(`\n${bar}\n!!! SKIPPED: ${message}\n${bar}\n`);
  return undefined;
}

/**
 * Runs `command args` in a process group of its own and resolves once it prints the entry's
 * `LISTENING` line; `stop()` ends the whole group (SIGTERM, then SIGKILL after 2 s).
 * @throws when it exits or stays silent for 20 s first
 */
export async function serveWith(command: string, args: string[], cwd: string): Promise<ServedMock> {
  const child = spawn(command, args, {
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', DO_NOT_TRACK: '1' },
  });
  const group = child.pid!;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-group, signal);
    } catch {
      // already gone
    }
  };
  // A test process that dies without its afterAll still takes the runtime with it.
  const onExit = () => signalGroup('SIGKILL');
  process.once('exit', onExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => fail('printed no address within 20 s'), 20_000);
    function fail(why: string) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signalGroup('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} ${why}:\n${output}`));
    }
    const read = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      const match = new RegExp(`${LISTENING} (\\S+)`).exec(output);
      if (match && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('error', (error) => fail(`did not start (${error.message})`));
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code})`));
  });
  return {
    url,
    log: () => output,
    async stop() {
      process.off('exit', onExit);
      signalGroup('SIGTERM');
      const killer = setTimeout(() => signalGroup('SIGKILL'), 2_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/**
 * Bundles `entries/<entry>.ts` into a fresh temporary directory and serves it with the command
 * that `command(bundlePath)` names, run there; `stop()` also removes the directory.
 */
export async function serveBundled(
  entry: BundledEntry,
  command: (bundle: string) => [string, ...string[]],
): Promise<ServedMock> {
  const dir = mkdtempSync(join(tmpdir(), `eggapi-${entry}-`));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const [program, ...args] = command(await bundleExample(entry, dir));
    const served = await serveWith(program, args, dir);
    return { ...served, stop: () => served.stop().finally(remove) };
  } catch (error) {
    remove();
    throw error;
  }
}

/**
 * The compatibility date the worker asks workerd for: fixed, so an upgrade of miniflare changes
 * no behaviour by itself, and no later than its workerd supports.
 */
const COMPATIBILITY_DATE = '2026-04-01';

/**
 * Serves the README's worker example in workerd through Miniflare, on a free port of
 * 127.0.0.1; `stop()` disposes of Miniflare (and so of its workerd process).
 */
export async function serveWorker(MiniflareClass: typeof Miniflare): Promise<ServedMock> {
  const dir = mkdtempSync(join(tmpdir(), 'eggapi-worker-'));
  try {
    const script = readFileSync(await bundleExample('worker', dir), 'utf8');
    let output = '';
    const mf = new MiniflareClass({
      modules: true,
      script,
      compatibilityDate: COMPATIBILITY_DATE,
      host: '127.0.0.1',
      port: 0,
      handleRuntimeStdio(stdout: Readable, stderr: Readable) {
        const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
        stdout.on('data', keep);
        stderr.on('data', keep);
      },
    });
    const ready = await mf.ready.catch(async (error: unknown) => {
      await mf.dispose().catch(() => {});
      throw new Error(`workerd did not start: ${String(error)}\n${output}`, { cause: error });
    });
    return { url: ready.href.replace(/\/+$/, ''), log: () => output, stop: () => mf.dispose() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
