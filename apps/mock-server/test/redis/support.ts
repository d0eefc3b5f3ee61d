// Shared helpers of the multi-instance suites: mock instances as real processes (the built bin)
// on one private redis-server, a real webhook receiver, plain-fetch calls, and polling with a
// deadline instead of fixed sleeps. Every process a test starts is killed after it.
import type { ChildProcess } from 'node:child_process';
import { expect } from 'vitest';

import {
  spawnMockProcess,
  type MockProcessHandle,
} from '../../../../test-support/mock-process.mjs';
import { startReceiver as startSharedReceiver } from '../../../../test-support/receiver.mjs';

import { call as harnessCall } from '../support/harness.js';

export { useRedisServer } from '../../../../test-support/redis.mjs';

export const API_KEY = 'sk_test_eggapi';
export const REQUEST = { model: 'nanobanana', prompt: 'A red fox in the snow' };
/** Job lock of every instance: a dead instance's jobs move on after about twice this. */
export const LOCK_MS = 500;

const running = new Set<MockProcessHandle>();

/**
 * Kills every instance `startInstance` started; `../support/per-file-hooks.ts` calls it after each
 * test.
 */
export async function killInstances(): Promise<void> {
  const instances = [...running];
  running.clear();
  await Promise.all(instances.map((instance) => instance.kill()));
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
  const args = ['--port', '0', '--redis-url', redisUrl, '--redis-prefix', prefix];
  args.push('--redis-lock', String(LOCK_MS), '--log-format', 'json', '--log-level', 'warn');
  args.push('--timing', 'instant', ...extraArgs);
  const instance = spawnMockProcess({
    name,
    args,
    env: { EGGAPI_REDIS_URL: '', EGGAPI_REDIS_PREFIX: '' },
  });
  running.add(instance);
  const url = await instance.url;
  return { name, url, child: instance.child, output: instance.output, kill: instance.kill };
}

/** An HTTP answer: status, parsed JSON body (undefined when not JSON), and how long it took. */
export interface Answer<T = any> {
  status: number;
  body: T;
  ms: number;
}

/** One real request to an instance (the harness's `call`: Bearer of the default key, JSON body), timed. */
export async function call<T = any>(
  instance: Pick<Instance, 'url'>,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const started = performance.now();
  const server = { url: instance.url, apiKey: API_KEY };
  const answer = await harnessCall<T>(server, method, path, { body, headers, timeoutMs: 20_000 });
  return { status: answer.status, body: answer.body, ms: performance.now() - started };
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
