import { taskFixture } from '@eggapi/contracts/testing';
import type { Task } from '@eggapi/contracts';
import { describe, expect, it, vi } from 'vitest';
import { clientFor } from '../test/support/client.js';
import {
  fail,
  ok,
  scriptServerPerTest,
  type Reply,
  type ScriptServer,
} from '../test/support/script-server.js';
import { holdTimers, instrumentClock } from '../test/support/timers.js';
import { clock } from './internal/clock.js';
import { APIUserAbortError, NotFoundError, TaskFailedError, TaskTimeoutError } from './errors.js';
import { defaultPollInterval } from './wait.js';

const ROUTE = 'GET /v1/tasks/gen_1';
const at = (status: string): Reply => ok(taskFixture({ id: 'gen_1', status }));

let server: ScriptServer;
scriptServerPerTest((started) => (server = started));

describe('defaultPollInterval', () => {
  it.each([
    [0, 500],
    [1, 750],
    [2, 1125],
    [3, 1687.5],
    [4, 2531.25],
    [5, 3796.875],
    [6, 5000],
    [50, 5000],
  ])('pauses %i → %s ms', (n, ms) => {
    expect(defaultPollInterval(n)).toBe(ms);
  });
});

describe('tasks.wait', () => {
  it('resolves with the completed task, polling on the documented schedule', async () => {
    const timers = instrumentClock();
    timers.instantSleeps();
    server.on(ROUTE, [
      at('pending'),
      at('pending'),
      at('processing'),
      at('processing'),
      at('processing'),
      at('completed'),
    ]);
    const task = await clientFor(server).tasks.wait('gen_1');
    expect(task).toEqual(taskFixture({ id: 'gen_1', status: 'completed' }));
    expect(timers.sleeps).toEqual([500, 750, 1125, 1687.5, 2531.25]);
    expect(server.requests).toHaveLength(6);
    expect(timers.pendingTimers).toBe(0);
  });

  it('reports each status change to onProgress exactly once', async () => {
    instrumentClock().instantSleeps();
    server.on(ROUTE, [
      at('pending'),
      at('pending'),
      at('processing'),
      at('processing'),
      at('completed'),
    ]);
    const seen: string[] = [];
    await clientFor(server).tasks.wait('gen_1', { onProgress: (t) => seen.push(t.status) });
    expect(seen).toEqual(['pending', 'processing', 'completed']);
  });

  it('treats an unknown status as not finished and reports it', async () => {
    instrumentClock().instantSleeps();
    server.on(ROUTE, [at('queued_for_gpu'), at('upscaling'), at('completed')]);
    const seen: string[] = [];
    const task = await clientFor(server).tasks.wait('gen_1', {
      onProgress: (t) => seen.push(t.status),
    });
    expect(task.status).toBe('completed');
    expect(seen).toEqual(['queued_for_gpu', 'upscaling', 'completed']);
  });

  it('rejects with TaskFailedError carrying the failed task', async () => {
    instrumentClock().instantSleeps();
    const failed = taskFixture({ id: 'gen_1', status: 'failed', error: 'Content moderation' });
    server.on(ROUTE, [at('processing'), ok(failed)]);
    const error = await clientFor(server)
      .tasks.wait('gen_1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskFailedError);
    expect((error as TaskFailedError).task).toEqual(failed);
    expect((error as Error).message).toBe('Content moderation');
  });

  it('takes a fixed pollInterval or a function of the poll index', async () => {
    const timers = instrumentClock();
    timers.instantSleeps();
    server.on(ROUTE, [at('pending'), at('pending'), at('completed')]);
    await clientFor(server).tasks.wait('gen_1', { pollInterval: 42 });
    server.on(ROUTE, [at('pending'), at('pending'), at('completed')]);
    await clientFor(server).tasks.wait('gen_1', { pollInterval: (n) => 10 * (n + 1) });
    expect(timers.sleeps).toEqual([42, 42, 10, 20]);
  });

  it('retries a poll that hits a transient error', async () => {
    instrumentClock().instantSleeps();
    server.on(ROUTE, [at('pending'), fail(503, 'SERVICE_UNAVAILABLE'), at('completed')]);
    await expect(clientFor(server).tasks.wait('gen_1')).resolves.toMatchObject({
      status: 'completed',
    });
  });

  it('rejects with the poll’s own error when it is not retryable', async () => {
    server.on(ROUTE, [fail(404, 'NOT_FOUND', 'no such task')]);
    await expect(clientFor(server).tasks.wait('gen_1')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('rejects with TaskTimeoutError after waitTimeout, with the last task seen', async () => {
    const held = holdTimers();
    vi.spyOn(clock, 'sleep').mockResolvedValue(undefined);
    server.on(ROUTE, () => at('processing'));
    const waiting = clientFor(server)
      .tasks.wait('gen_1', { waitTimeout: 150, pollInterval: 20 })
      .catch((e: unknown) => e);
    // Polls go on (pauses are instant here) until the deadline's timer fires.
    await vi.waitUntil(() => server.requests.length >= 3);
    held.pendingOf(150).fire();
    const error = await waiting;
    expect(error).toBeInstanceOf(TaskTimeoutError);
    expect(error).toMatchObject({ taskId: 'gen_1', waitTimeout: 150, timeout: 150 });
    expect((error as TaskTimeoutError).lastTask?.status).toBe('processing');
    expect(held.pending).toEqual([]);
  });

  it('times out a poll in flight and aborts its request', async () => {
    const held = holdTimers();
    vi.spyOn(clock, 'sleep').mockResolvedValue(undefined);
    server.on(ROUTE, [at('pending'), { hang: true }]);
    const waiting = clientFor(server)
      .tasks.wait('gen_1', { waitTimeout: 100, pollInterval: 10 })
      .catch((e: unknown) => e);
    await vi.waitUntil(() => server.requests.length === 2);
    held.pendingOf(100).fire();
    expect(await waiting).toBeInstanceOf(TaskTimeoutError);
    await server.requests[1]!.aborted;
    expect(held.pending).toEqual([]);
  });

  it('gives each poll the per-request timeout (or the deprecated requestTimeout)', async () => {
    const held = holdTimers();
    server.on(ROUTE, () => at('completed'));
    const client = clientFor(server, { timeout: 9_000 });
    await client.tasks.wait('gen_1', { timeout: 1_234, waitTimeout: Infinity });
    await client.tasks.wait('gen_1', { requestTimeout: 4_321, waitTimeout: Infinity });
    await client.tasks.wait('gen_1', { waitTimeout: Infinity });
    expect(held.timers.map((t) => t.ms)).toEqual([1_234, 4_321, 9_000]);
  });

  it('aborts mid-pause with no timer or listener left', async () => {
    const timers = instrumentClock();
    server.on(ROUTE, () => at('processing'));
    const controller = new AbortController();
    const removed = vi.spyOn(controller.signal, 'removeEventListener');
    const waiting = clientFor(server).tasks.wait('gen_1', {
      signal: controller.signal,
      pollInterval: 60_000,
    });
    // One poll answered, the client now pauses: its deadline and the pause are pending.
    await vi.waitUntil(() => server.requests.length === 1 && timers.pendingTimers === 2);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(APIUserAbortError);
    expect(timers.pendingTimers).toBe(0);
    expect(removed).toHaveBeenCalledWith('abort', expect.any(Function));
    expect(server.requests).toHaveLength(1);
  });

  it('aborts mid-poll: the request in flight is cancelled and nothing stays pending', async () => {
    const timers = instrumentClock();
    server.on(ROUTE, [at('pending'), { hang: true }]);
    const controller = new AbortController();
    const waiting = clientFor(server).tasks.wait('gen_1', {
      signal: controller.signal,
      pollInterval: 1,
    });
    await vi.waitUntil(() => server.requests.length === 2);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(APIUserAbortError);
    await server.requests[1]!.aborted;
    expect(timers.pendingTimers).toBe(0);
  });

  it('does not poll at all with a signal that has already aborted', async () => {
    await expect(
      clientFor(server).tasks.wait('gen_1', { signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toHaveLength(0);
  });

  it('rejects with the error onProgress throws, leaving nothing pending', async () => {
    const timers = instrumentClock();
    server.on(ROUTE, () => at('pending'));
    const oops = new Error('callback broke');
    await expect(
      clientFor(server).tasks.wait('gen_1', {
        onProgress: () => {
          throw oops;
        },
      }),
    ).rejects.toBe(oops);
    expect(timers.pendingTimers).toBe(0);
  });

  it.each([0, -1, Number.NaN])(
    'refuses a waitTimeout or timeout of %s instead of not waiting',
    async (ms) => {
      const client = clientFor(server);
      await expect(client.tasks.wait('gen_1', { waitTimeout: ms })).rejects.toThrow(RangeError);
      await expect(client.tasks.wait('gen_1', { timeout: ms })).rejects.toThrow(RangeError);
      expect(server.requests).toHaveLength(0);
    },
  );
});

describe('run', () => {
  it('creates the task and waits for it, reporting the created task first', async () => {
    const timers = instrumentClock();
    timers.instantSleeps();
    server.on('POST /v1/generate', [
      { status: 202, json: { data: taskFixture({ id: 'gen_1' }), error: null } },
    ]);
    server.on(ROUTE, [at('pending'), at('processing'), at('completed')]);
    const progress: Task['status'][] = [];
    const task = await clientFor(server).run(
      { model: 'nanobanana', prompt: 'a fox' },
      { onProgress: (t) => progress.push(t.status), idempotencyKey: 'run-1' },
    );
    expect(task.status).toBe('completed');
    expect(progress).toEqual(['pending', 'processing', 'completed']);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /v1/generate',
      'GET /v1/tasks/gen_1',
      'GET /v1/tasks/gen_1',
      'GET /v1/tasks/gen_1',
    ]);
    expect(server.requests[0]!.headers['idempotency-key']).toBe('run-1');
    // The first poll right after the creation, then the documented pauses.
    expect(timers.sleeps).toEqual([500, 750]);
  });

  it('polls at once after the creation: no pause before a task that is already done', async () => {
    const timers = instrumentClock();
    timers.instantSleeps();
    server.on('POST /v1/generate', [
      { status: 202, json: { data: taskFixture({ id: 'gen_1' }), error: null } },
    ]);
    server.on(ROUTE, [at('completed')]);
    const task = await clientFor(server).run({ model: 'nanobanana', prompt: 'a fox' });
    expect(task.status).toBe('completed');
    expect(timers.sleeps).toEqual([]);
    expect(server.requests).toHaveLength(2);
  });

  it('does not poll a task that was created already completed', async () => {
    const done = taskFixture({ id: 'gen_1', status: 'completed' });
    server.on('POST /v1/generate', [{ status: 202, json: { data: done, error: null } }]);
    await expect(clientFor(server).run({ model: 'nanobanana', prompt: 'a fox' })).resolves.toEqual(
      done,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('rejects with TaskFailedError when the created task fails', async () => {
    instrumentClock().instantSleeps();
    server.on('POST /v1/generate', [
      { status: 202, json: { data: taskFixture({ id: 'gen_1' }), error: null } },
    ]);
    server.on(ROUTE, [at('failed')]);
    await expect(
      clientFor(server).run({ model: 'nanobanana', prompt: 'a fox' }),
    ).rejects.toBeInstanceOf(TaskFailedError);
  });
});
