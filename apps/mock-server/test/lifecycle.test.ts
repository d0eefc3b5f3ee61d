import { TaskEnvelopeSchema, type Task } from '@eggapi/contracts';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FAILURE_MESSAGE, MODERATION_FAILURE_MESSAGE } from '../src/index.js';
import { call, createTask, mockServer, validRequest } from './support/harness.js';

/** A clock the test moves by hand. */
function manualClock(start = Date.parse('2026-05-08T10:30:00Z')) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

async function getTask(server: Parameters<typeof call>[0], id: string): Promise<Task> {
  const answer = await call(server, 'GET', `/v1/tasks/${id}`);
  expect(answer.status).toBe(200);
  return TaskEnvelopeSchema.parse(answer.body).data;
}

describe('the task lifecycle', () => {
  it('moves pending → processing → completed on the configured timing', async () => {
    const clock = manualClock();
    const server = await mockServer({
      timing: { queueMs: 1000, processingMs: 4000, jitter: 0 },
      now: clock.now,
    });
    const id = await createTask(server);
    expect((await getTask(server, id)).status).toBe('pending');
    clock.advance(1001);
    const processing = await getTask(server, id);
    expect(processing.status).toBe('processing');
    expect(processing.started_at).toBe('2026-05-08T10:30:01Z');
    expect(processing).not.toHaveProperty('completed_at');
    clock.advance(4000);
    const done = await getTask(server, id);
    expect(done).toMatchObject({
      status: 'completed',
      cost: '$0.0100',
      created_at: '2026-05-08T10:30:00Z',
      started_at: '2026-05-08T10:30:01Z',
      completed_at: '2026-05-08T10:30:05Z',
    });
  });

  it('ends tasks on its own, without polls, from the worker timer', async () => {
    const server = await mockServer({ timing: { queueMs: 5, processingMs: 20, jitter: 0 } });
    const id = await createTask(server);
    // Nobody polls: the engine's own timer ends the task and says so.
    const ended = await new Promise((resolve) =>
      server.engine.on((event) => event.type === 'task.ended' && resolve(event)),
    );
    expect(ended).toMatchObject({ task_id: id, status: 'completed' });
  });

  it.each([
    ['fast', 1000],
    ['realistic', 10_000],
  ] as const)('%s timing ends every task within %i ms', async (timing, bound) => {
    const clock = manualClock();
    const server = await mockServer({ timing, now: clock.now, seed: 'bounds' });
    const ids = await Promise.all(Array.from({ length: 20 }, () => createTask(server)));
    clock.advance(bound);
    for (const id of ids) expect((await getTask(server, id)).status).toBe('completed');
  });

  it('fails a task with the message given by the scenario header, at $0.00 with times', async () => {
    const server = await mockServer();
    const id = await createTask(server, validRequest, {
      'X-EggAPI-Mock-Scenario': 'fail="generation failed: provider timeout"',
    });
    const task = await getTask(server, id);
    expect(task).toMatchObject({
      status: 'failed',
      error: 'generation failed: provider timeout',
      cost: '$0.00',
    });
    expect(task.started_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(task.completed_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(task.completed_at!)).toBeGreaterThanOrEqual(Date.parse(task.started_at!));
    expect(task).not.toHaveProperty('output');
  });

  it.each([
    ['[[mock: fail]]', DEFAULT_FAILURE_MESSAGE],
    ['[[mock: moderation]]', MODERATION_FAILURE_MESSAGE],
  ])('reads the prompt marker %s', async (marker, message) => {
    const server = await mockServer();
    const id = await createTask(server, { ...validRequest, prompt: `a cat ${marker}` });
    expect(await getTask(server, id)).toMatchObject({ status: 'failed', error: message });
  });

  it('slows processing down with delay=<ms>', async () => {
    const clock = manualClock();
    const server = await mockServer({ timing: 'instant', now: clock.now });
    const id = await createTask(server, validRequest, { 'x-eggapi-mock-scenario': 'delay=60000' });
    clock.advance(1);
    expect((await getTask(server, id)).status).toBe('processing');
    clock.advance(59_999);
    expect((await getTask(server, id)).status).toBe('completed');
  });

  it.each([
    ['polls=3', 'completed'],
    ['polls=3; fail', 'failed'],
  ])('with %s the task ends on the third poll as %s', async (scenario, final) => {
    const server = await mockServer();
    const id = await createTask(server, validRequest, { 'x-eggapi-mock-scenario': scenario });
    expect((await getTask(server, id)).status).toBe('processing');
    expect((await getTask(server, id)).status).toBe('processing');
    expect((await getTask(server, id)).status).toBe(final);
    expect((await getTask(server, id)).status).toBe(final);
  });

  it('rejects a scenario header that does not parse, naming it', async () => {
    const server = await mockServer();
    const answer = await call(server, 'POST', '/v1/generate', {
      body: validRequest,
      headers: { 'x-eggapi-mock-scenario': 'explode' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(
      /^X-EggAPI-Mock-Scenario: unknown directive "explode"/,
    );
  });

  it('makes ids reproducible with a seed', async () => {
    const ids = async () => {
      const server = await mockServer({ seed: 42 });
      return [await createTask(server), await createTask(server)];
    };
    const first = await ids();
    expect(await ids()).toEqual(first);
    const other = await mockServer({ seed: 43 });
    expect(await createTask(other)).not.toBe(first[0]);
  });
});

describe('billing', () => {
  it('answers 403 INSUFFICIENT_BALANCE once the balance cannot pay, and refunds failures', async () => {
    const server = await mockServer({ balances: { sk_test_eggapi: 30_000 } });
    await createTask(server, { ...validRequest, num_outputs: 2 });
    const refused = await call(server, 'POST', '/v1/generate', {
      body: { ...validRequest, num_outputs: 2 },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({
      code: 'INSUFFICIENT_BALANCE',
      message: 'insufficient balance: this request costs $0.0200, the balance is $0.0100',
    });
    const failed = await createTask(server, validRequest, { 'x-eggapi-mock-scenario': 'fail' });
    await getTask(server, failed);
    expect((await server.engine.config()).balances['sk_t…ggapi']).toBe(10_000);
    await createTask(server, validRequest);
    expect((await call(server, 'POST', '/v1/generate', { body: validRequest })).status).toBe(403);
  });
});

describe('idempotency', () => {
  it('replays the first answer for the same key and body, 409 for another body', async () => {
    const server = await mockServer();
    const headers = { 'idempotency-key': 'order-7' };
    const first = await call(server, 'POST', '/v1/generate', { body: validRequest, headers });
    const again = await call(server, 'POST', '/v1/generate', {
      body: { prompt: validRequest.prompt, model: 'nanobanana', aspect_ratio: '16:9' },
      headers,
    });
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await call(server, 'GET', '/v1/tasks')).body.data.pagination.total).toBe(1);
    const conflict = await call(server, 'POST', '/v1/generate', {
      body: { ...validRequest, prompt: 'something else' },
      headers,
    });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('refuses an Idempotency-Key that is not 1–255 visible ASCII characters, naming the header', async () => {
    const server = await mockServer();
    const answer = await call(server, 'POST', '/v1/generate', {
      body: validRequest,
      headers: { 'idempotency-key': 'x'.repeat(256) },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: 'Idempotency-Key: must be 1–255 visible ASCII characters',
      details: [{ path: 'headers.idempotency-key' }],
    });
  });

  it('scopes keys to the API key', async () => {
    const server = await mockServer({ apiKeys: ['sk_a', 'sk_b'] });
    const headers = { 'idempotency-key': 'same' };
    const a = await call({ url: server.url, apiKey: 'sk_a' }, 'POST', '/v1/generate', {
      body: validRequest,
      headers,
    });
    const b = await call({ url: server.url, apiKey: 'sk_b' }, 'POST', '/v1/generate', {
      body: validRequest,
      headers,
    });
    expect(a.body.data.id).not.toBe(b.body.data.id);
  });
});
