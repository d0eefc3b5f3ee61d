import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

export const MOCK_BIN: string;

export interface MockProcessOptions {
  /** Arguments of the mock's bin. */
  args?: string[];
  /** Instead of the mock's bin and `args`: the whole command line after `node`. */
  command?: string[];
  /** Added to the environment. */
  env?: Record<string, string>;
  /** The node binary (this one by default). */
  node?: string;
  cwd?: string;
  /** What it is called in errors. */
  name?: string;
  /** Its first group is the URL; `listening on (http://…)` by default. */
  banner?: RegExp;
  startTimeoutMs?: number;
}

export interface MockProcessHandle {
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** The URL its banner names; rejects if it exits first or does not start in time. */
  url: Promise<string>;
  /** Its exit code once it has exited (`null` after a signal). */
  exit: Promise<number | null>;
  /** Its stdout so far. */
  stdout: () => string;
  /** Its stdout, then its stderr (the last 20,000 characters). */
  output: () => string;
  /** SIGTERM, SIGKILL after `killAfterMs` (5 s); resolves with the exit code. */
  stop: (killAfterMs?: number) => Promise<number | null>;
  /** SIGKILL; resolves once it has exited. */
  kill: () => Promise<void>;
}

export function spawnMockProcess(options?: MockProcessOptions): MockProcessHandle;
