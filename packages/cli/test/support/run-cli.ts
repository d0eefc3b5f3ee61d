import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import { main } from '../../src/main.js';
import { capturedStream, pipedStdin } from './in-process-io.js';
import type { MockProcess } from './mock-process.js';

/** The committed bin, which runs the built CLI (dist/cli.js): what users run. */
export const BIN = fileURLToPath(new URL('../../bin/eggapi.mjs', import.meta.url));

/** How one run of `eggapi` ended. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Sets EGGAPI_BASE_URL and EGGAPI_API_KEY to this mock's. */
  mock?: MockProcess;
  /** Extra environment (wins over the mock's); `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Written to stdin, which is then closed (stdin is always a pipe, closed at once without). */
  input?: string | Buffer;
}

/** The environment of a run: this process's, without colour or EggAPI settings, plus `options`. */
export function cliEnv(options: RunOptions = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['NO_COLOR', 'FORCE_COLOR', 'EGGAPI_API_KEY', 'EGGAPI_BASE_URL']) {
    delete env[name];
  }
  if (options.mock) {
    env.EGGAPI_BASE_URL = options.mock.url;
    env.EGGAPI_API_KEY = options.mock.apiKey;
  }
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/**
 * Runs `eggapi <args>` in this process: `main(args, io)` with captured stdout and stderr, the
 * environment of {@link cliEnv} and `input` on a closed stdin, none of them a terminal (as under
 * pipes). The same result as {@link eggapiProcess} without starting node: what the bin adds
 * (process.exit, the built dist/) is covered by the tests that spawn it.
 */
export async function eggapi(args: string[], options: RunOptions = {}): Promise<CliResult> {
  const stdout = capturedStream();
  const stderr = capturedStream();
  const io = { stdout, stderr, stdin: pipedStdin(options.input), env: cliEnv(options) };
  const code = await main(args, io);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** Runs `eggapi <args>` as a process (the bin) with piped stdio; resolves when it exits. */
export function eggapiProcess(args: string[], options: RunOptions = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: cliEnv(options),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return collect(child, options.input);
}

/** Starts `eggapi <args>` (a long-running command such as `webhooks listen`) with piped stdio. */
export function startEggapi(args: string[], options: RunOptions = {}) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: cliEnv(options),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  const exited = new Promise<CliResult>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr })),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    /** Resolves with the stdout so far once `pattern` matches it (rejects after `ms`). */
    waitFor(pattern: RegExp, ms = 15_000): Promise<RegExpExecArray> {
      const matched = () => {
        const match = pattern.exec(stdout);
        if (!match) throw new Error(`no ${pattern} in the output:\n${stdout}\nstderr:\n${stderr}`);
        return match;
      };
      // Polled until the deadline, or checked a last time once the process has ended.
      const ended = exited.then(matched);
      ended.catch(() => {}); // reported through the race below, if it decides it
      return Promise.race([vi.waitFor(matched, { timeout: ms, interval: 20 }), ended]);
    },
    /** SIGINT (Ctrl+C) and the end of the run. */
    async stop(): Promise<CliResult> {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}

/**
 * Runs `eggapi <args>` under a pseudo-terminal (util-linux `script`): stdin, stdout and stderr
 * are all the terminal, merged into one output with `\r\n` line ends. The pty reports no size.
 */
export function eggapiInPty(args: string[], options: RunOptions = {}): Promise<CliResult> {
  const command = [process.execPath, BIN, ...args].map(shellQuote).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: cliEnv(options),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return collect(child, options.input);
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function collect(
  child: ReturnType<typeof spawn>,
  input: string | Buffer | undefined,
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += String(chunk)));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  child.stdin!.end(input);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** An ANSI escape sequence (colour, cursor movement, erasing, synchronized output). */
// eslint-disable-next-line no-control-regex -- escape sequences are what this matches
export const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/;

/** `text` without its ANSI escape sequences. */
export function stripAnsi(text: string): string {
  return text.replace(new RegExp(ANSI.source, 'g'), '');
}
