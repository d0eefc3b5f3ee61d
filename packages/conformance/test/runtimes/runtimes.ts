import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Miniflare } from 'miniflare';
import { bundleExample, type BundledEntry } from './bundle.js';
import { LISTENING } from './mock-options.js';

/** A mock served over real HTTP on 127.0.0.1, and how to stop it (and everything it started). */
export interface ServedMock {
  url: string;
  /** What the runtime printed (the mock's errors included), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

// Finding Deno and Bun, and the loud skip, are shared with the tools' runtime matrix.
export { available, findRuntime } from '../../../../test-support/runtimes.mjs';

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
