// Shared helpers of the multi-instance suites: mock instances as real processes (the built bin)
// on one private redis-server, a real webhook receiver, plain-fetch calls, and polling with a
// deadline instead of fixed sleeps. Every process a test starts is killed after it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, expect } from 'vitest';

import { startReceiver as startSharedReceiver } from '../../../../test-support/receiver.mjs';

export { useRedisServer } from '../../../../test-support/redis.mjs';

const CLI = fileURLToPath(new URL('../../bin/eggapi-mock.cjs', import.meta.url)); // the package's bin
const BUNDLE = fileURLToPath(new URL('../../dist/cli.cjs', import.meta.url));

export const API_KEY = 'sk_test_eggapi';
export const REQUEST = { model: 'nanobanana', prompt: 'A red fox in the snow' };
/** Job lock of every instance: a dead instance's jobs move on after about twice this. */
export const LOCK_MS = 500;

const running = new Set<ChildProcess>();

afterEach(async () => {
  await Promise.all([...running].map((child) => killed(child)));
});

/** SIGKILLs a child and resolves once it has exited. */
function killed(child: ChildProcess): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return exited;
}

/** A mock instance: a real `eggapi-mock` process on its own port. */
export interface Instance {
  name: string;
  url: string;
  child: ChildProcess;
  /** Its stdout and stderr so far (the banner, JSON log lines at warn and above). */
  output(): string;
  /** `kill -9`: resolves once the process has exited. */
  kill(): Promise<void>;
}

/** Starts `eggapi-mock --redis-url <url> --redis-prefix <prefix>` and waits for its banner. */
export async function startInstance(
  name: string,
  redisUrl: string,
  prefix: string,
  extraArgs: string[] = [],
): Promise<Instance> {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run build\` first`);
  const args = ['--port', '0', '--redis-url', redisUrl, '--redis-prefix', prefix];
  args.push('--redis-lock', String(LOCK_MS), '--log-format', 'json', '--log-level', 'warn');
  args.push('--timing', 'instant', ...extraArgs);
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, EGGAPI_REDIS_URL: '', EGGAPI_REDIS_PREFIX: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const keep = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-20_000));
  child.stderr.on('data', keep);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), 15_000);
    child.stdout.on('data', (chunk: Buffer) => {
      keep(chunk);
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
  return { name, url, child, output: () => output, kill: () => killed(child) };
}

/** An HTTP answer: status, parsed JSON body (undefined when not JSON), and how long it took. */
export interface Answer<T = any> {
  status: number;
  body: T;
  ms: number;
}

/** One real request to an instance (Bearer of the default key, JSON body). */
export async function call<T = any>(
  instance: Pick<Instance, 'url'>,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const started = performance.now();
  const response = await fetch(instance.url + path, {
    method,
    headers: {
      authorization: `Bearer ${API_KEY}`,
      // Admin requests that change state must say JSON even without a body.
      ...(body === undefined && (method === 'GET' || !path.startsWith('/__admin'))
        ? {}
        : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed as T, ms: performance.now() - started };
}

/** A call that must answer `status`; resolves with its `data`. */
export async function ok<T = any>(
  instance: Pick<Instance, 'url'>,
  method: string,
  path: string,
  body?: unknown,
  status = 200,
): Promise<T> {
  const answer = await call(instance, method, path, body);
  if (answer.status !== status) {
    throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return answer.body.data as T;
}

/** The `data` of a list answer. */
export interface Page<T> {
  items: T[];
  pagination: { total: number; total_pages: number };
}

/** Creates a task (202) and resolves with its id. */
export async function createTask(
  instance: Pick<Instance, 'url'>,
  request: Record<string, unknown> = {},
): Promise<string> {
  const task = await ok<{ id: string }>(
    instance,
    'POST',
    '/v1/generate',
    { ...REQUEST, ...request },
    202,
  );
  return task.id;
}

/** `PATCH /__admin/config` (shared by every instance on the prefix). */
export function configure(instance: Pick<Instance, 'url'>, patch: unknown): Promise<unknown> {
  return ok(instance, 'PATCH', '/__admin/config', patch);
}

/** Webhook attempts as the admin API lists them. */
export interface Delivery {
  id: string;
  task_id: string;
  state: 'pending' | 'succeeded' | 'failed';
  attempts: { attempt: number; at: string; status?: number; error?: string }[];
  next_attempt_at: string | null;
}

/** `GET /__admin/webhooks?task_id=…` of one instance. */
export function deliveriesOf(instance: Pick<Instance, 'url'>, taskId: string) {
  return ok<Delivery[]>(instance, 'GET', `/__admin/webhooks?task_id=${taskId}`);
}

/** Options of `vi.waitFor` / `expect.poll` for conditions that need several job runs. */
export const SLOW = { timeout: 15_000, interval: 25 };

/**
 * Resolves once the prefix's shared job queue is empty (nothing waiting, planned or running, as
 * `/__admin/health` counts it). A job run twice (its lock lost, or its instance killed) is still
 * in the queue until that second run has ended, so after this no job can send anything again.
 */
export async function drained(instance: Pick<Instance, 'url'>, timeout = 20_000): Promise<void> {
  await expect
    .poll(
      async () => {
        const health = await call(instance, 'GET', '/__admin/health');
        const { waiting, delayed, active } = health.body?.data?.redis?.jobs ?? {};
        return { waiting, delayed, active };
      },
      { timeout, interval: 50 },
    )
    .toEqual({ waiting: 0, delayed: 0, active: 0 });
}

/** One webhook request the receiver got, with the status it answered. */
export interface Hit {
  taskId: string;
  status: number;
  at: number;
}

/**
 * The workspace's webhook receiver (`test-support/receiver.mjs`), counting per task:
 * `answer(taskId, nth)` picks the status of the nth request (from 1) for that task; 0 never
 * answers (until `close`). `hits` lists every request in arrival order.
 */
export async function startReceiver(
  answer: (taskId: string, nth: number) => number = () => 200,
  /** How long each answer takes (the request is counted when it arrives). */
  delayMs = 0,
) {
  const hits: Hit[] = [];
  const receiver = await startSharedReceiver({
    reply: (request) => {
      let taskId = '(unparsable)'; // which no test expects
      try {
        taskId = String((JSON.parse(request.body) as { task_id: unknown }).task_id);
      } catch {
        // counted under '(unparsable)'
      }
      const nth = hits.filter((hit) => hit.taskId === taskId).length + 1;
      const status = answer(taskId, nth);
      hits.push({ taskId, status, at: request.at });
      return status === 0 ? 'hold' : { status, delayMs };
    },
  });
  return {
    url: receiver.url,
    hits,
    of: (taskId: string) => hits.filter((hit) => hit.taskId === taskId),
    close: receiver.close,
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
