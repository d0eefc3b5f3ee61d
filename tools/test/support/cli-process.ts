import { spawn } from 'node:child_process';

/** A server command started by {@link startCli}. */
export interface RunningCli {
  /** The base URL its banner names (`listening on <url>`). */
  url: string;
  /** What it printed up to and including its banner. */
  banner: string;
  /** Sends SIGTERM and resolves with the exit code (SIGKILL after 15 s: then `null`). */
  stop(): Promise<number | null>;
}

/**
 * Runs `node args…` (`eggapi-mock --port 0 …`) and resolves once its banner has named the URL
 * (`listening on <url>`) and the store (`Store: …`); rejects, with what it printed, if it exits
 * first or does not get there within 30 s.
 */
export function startCli(
  node: string,
  args: string[],
  options: { cwd: string },
): Promise<RunningCli> {
  const child = spawn(node, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };
  return new Promise<RunningCli>((resolve, reject) => {
    const fail = (why: string) => {
      void stop();
      reject(new Error(`${why}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    };
    const timer = setTimeout(() => fail('no banner within 30 s'), 30_000);
    const early = (code: number | null) => {
      clearTimeout(timer);
      fail(`exited (${code}) before listening`);
    };
    child.once('exit', early);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (http:\/\/\S+)[\s\S]*?\n\s*Store:[^\n]*\n/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      child.off('exit', early);
      resolve({ url: match[1]!, banner: stdout, stop });
    });
  });
}
