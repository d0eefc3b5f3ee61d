// @ts-check
// What every throughput bench shares: how a server is spawned and how it is loaded, so that two
// benches measuring different things measure them the same way.
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';

export const DURATION = Number(process.env.BENCH_DURATION ?? 4);
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

/**
 * Starts a child that prints "listening on <url>"; resolves with the url and the child.
 * @param {string[]} args
 * @param {Record<string, string>} [env]
 * @returns {Promise<{ url: string, child: import('node:child_process').ChildProcessWithoutNullStreams, started: number }>}
 */
export function startChild(args, env = {}) {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        child.stdout.resume();
        child.stdout.removeAllListeners('data');
        resolve({ url: /** @type {string} */ (match[1]), child, started });
      }
    });
    child.on('exit', (code) => reject(new Error(`child exited ${code}: ${out}`)));
  });
}

/**
 * autocannon on loopback with the bench's connections and duration; a non-2xx answer or an error
 * fails the bench. `url` may be several URLs: the connections are spread over them.
 * @param {string | string[]} url
 * @param {Record<string, unknown>} [options]
 */
export async function load(url, options = {}) {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION,
    ...options,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${String(url)}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return { rps: result.requests.average, p99: result.latency.p99 };
}
