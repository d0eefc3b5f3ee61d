import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  EggAPI,
  RateLimitError,
  ServiceUnavailableError,
  TaskFailedError,
  ValidationError,
  NotFoundError,
  AuthenticationError,
  InsufficientBalanceError,
  ConflictError,
} from '@eggapi/client';
import type { WebhookEvent } from '@eggapi/contracts';
import { startMockServer, type MockServer } from '@eggapi/mock-server';
import { eggapiWebhook } from '@eggapi/webhook/express';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';

const SECRET = 'whsec_end_to_end';
const servers: { close(): unknown }[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function mock(options: Parameters<typeof startMockServer>[0] = {}): Promise<MockServer> {
  const server = await startMockServer({ validateResponses: true, ...options });
  servers.push(server);
  return server;
}

function clientFor(
  server: MockServer,
  options: Partial<ConstructorParameters<typeof EggAPI>[0]> = {},
) {
  return new EggAPI({ apiKey: server.apiKey, baseURL: server.url, ...options });
}

describe('the client against the mock server: fault scenarios', () => {
  it('waits out a 429 with Retry-After, then succeeds', async () => {
    const server = await mock();
    const client = clientFor(server);
    const started = performance.now();
    const page = await client.tasks.list(
      {},
      { headers: { 'X-EggAPI-Mock-Fault': '429; retry-after=1' } },
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(page.pagination.total).toBe(0);
  });

  it('retries a GET through two 503s, then succeeds', async () => {
    const server = await mock();
    const client = clientFor(server);
    const task = await client.generate({ model: 'nanobanana', prompt: 'a red fox' });
    const read = await client.tasks.get(task.id, {
      headers: { 'X-EggAPI-Mock-Fault': '503; times=2' },
    });
    expect(read.id).toBe(task.id);
  });

  it('does not retry a generate after a 503, so no duplicate task is created', async () => {
    const server = await mock();
    const client = clientFor(server);
    await expect(
      client.generate(
        { model: 'nanobanana', prompt: 'x' },
        { headers: { 'X-EggAPI-Mock-Fault': '503' } },
      ),
    ).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect((await client.tasks.list()).pagination.total).toBe(0);
  });

  it('retries a generate on 429 with the same Idempotency-Key and creates one task', async () => {
    const server = await mock();
    const client = clientFor(server);
    const task = await client.generate(
      { model: 'nanobanana', prompt: 'x' },
      { headers: { 'X-EggAPI-Mock-Fault': '429; retry-after=0' } },
    );
    expect((await client.tasks.list()).items.map((t) => t.id)).toEqual([task.id]);
  });

  it('surfaces a forced failed task as TaskFailedError with its message', async () => {
    const server = await mock({ timing: 'fast' });
    const client = clientFor(server);
    const error = await client
      .run(
        {
          model: 'nanobanana',
          prompt: 'a cat [[mock: fail="generation failed: provider timeout"]]',
        },
        { pollInterval: 50 },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskFailedError);
    expect((error as TaskFailedError).message).toContain('generation failed: provider timeout');
    expect((error as TaskFailedError).task.status).toBe('failed');
  });

  it('gives a RateLimitError with retryAfter once retries are used up', async () => {
    const server = await mock();
    const client = clientFor(server, { maxRetries: 0 });
    const error = await client.tasks
      .list({}, { headers: { 'X-EggAPI-Mock-Fault': '429; retry-after=2' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBe(2);
    expect((error as RateLimitError).requestId).toMatch(/^req_/);
  });

  it('maps the mock’s documented errors to the client’s classes', async () => {
    const server = await mock({ balances: { sk_test_eggapi: 0 } });
    const client = clientFor(server, { maxRetries: 0 });
    await expect(client.tasks.get('gen_missing')).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.generate({ model: 'nanobanana', prompt: 'x' })).rejects.toBeInstanceOf(
      InsufficientBalanceError,
    );
    await expect(clientFor(server, { apiKey: 'sk_wrong' }).tasks.list()).rejects.toBeInstanceOf(
      AuthenticationError,
    );
    const invalid = await client.tasks.list({ per_page: 101 }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ValidationError);
    expect((invalid as ValidationError).details?.[0]?.path).toBe('per_page');
  });

  it('replays a generate with the same Idempotency-Key and refuses another body with ConflictError', async () => {
    const server = await mock();
    const client = clientFor(server);
    const first = await client.generate(
      { model: 'nanobanana', prompt: 'x' },
      { idempotencyKey: 'order-1' },
    );
    const again = await client.generate(
      { model: 'nanobanana', prompt: 'x' },
      { idempotencyKey: 'order-1' },
    );
    expect(again.id).toBe(first.id);
    await expect(
      client.generate(
        { model: 'nanobanana', prompt: 'another body' },
        { idempotencyKey: 'order-1' },
      ),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('runs a task end to end and iterates every task across pages', async () => {
    const server = await mock({ timing: 'fast' });
    const client = clientFor(server);
    const seen: string[] = [];
    const task = await client.run(
      { model: 'nanobanana', prompt: 'a red fox', num_outputs: 2 },
      { pollInterval: 50, onProgress: (t) => seen.push(t.status) },
    );
    expect(task.status).toBe('completed');
    expect(task.output?.urls).toHaveLength(2);
    expect(seen.at(-1)).toBe('completed');
    for (let i = 0; i < 6; i++) await client.generate({ model: 'nanobanana', prompt: `p${i}` });
    const ids: string[] = [];
    for await (const t of client.tasks.list({ per_page: 2 })) ids.push(t.id);
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
  });
});

describe('webhooks from the mock server into an express app using @eggapi/webhook', () => {
  async function receiver(secret: string) {
    const events: WebhookEvent[] = [];
    const statuses: number[] = [];
    const app = express();
    app.use(express.json()); // mounted app-wide, before the webhook route: the middleware must cope
    app.post('/other', (req, res) => res.json(req.body));
    const hook = express.Router();
    hook.post('/eggapi', eggapiWebhook({ secret }), (req, res) => {
      events.push(req.eggapiEvent!);
      res.sendStatus(204);
    });
    const root = express();
    root.use('/hooks', (req, res, next) => {
      res.on('finish', () => statuses.push(res.statusCode));
      next();
    });
    root.use('/hooks', hook);
    root.use(app);
    const server = await new Promise<Server>((resolve) => {
      const s = root.listen(0, '127.0.0.1', () => resolve(s));
    });
    servers.push({ close: () => new Promise((r) => server.close(r)) });
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/eggapi`,
      events,
      statuses,
    };
  }

  it('verifies real signed deliveries and types the event', async () => {
    const hook = await receiver(SECRET);
    const server = await mock({ webhookSecret: SECRET });
    const client = clientFor(server);
    const done = await client.generate({
      model: 'nanobanana',
      prompt: 'ok',
      webhook_url: hook.url,
    });
    const failed = await client.generate({
      model: 'nanobanana',
      prompt: 'no [[mock: moderation]]',
      webhook_url: hook.url,
    });
    await server.waitForDeliveries(done.id, (d) => d[0]?.state === 'succeeded');
    await server.waitForDeliveries(failed.id, (d) => d[0]?.state === 'succeeded');
    const byTask = new Map(hook.events.map((e) => [e.task_id, e]));
    expect(byTask.get(done.id)).toMatchObject({ event: 'task.completed', cost: '0.010000' });
    expect(byTask.get(failed.id)).toMatchObject({
      event: 'task.failed',
      error: 'Content moderation: prompt contains prohibited content',
    });
    expect(hook.statuses.every((s) => s === 204)).toBe(true);
  });

  it('rejects deliveries signed with another secret, and the mock retries them', async () => {
    const hook = await receiver('whsec_other');
    const server = await mock({
      webhookSecret: SECRET,
      webhooks: { maxAttempts: 3, backoffBaseMs: 20, timeoutMs: 2_000, backoffMaxMs: 1_000 },
    });
    const task = await clientFor(server).generate({
      model: 'nanobanana',
      prompt: 'x',
      webhook_url: hook.url,
    });
    const [delivery] = await server.waitForDeliveries(task.id, (d) => d[0]?.state === 'failed');
    expect(delivery!.attempts.map((a) => a.status)).toEqual([400, 400, 400]);
    expect(hook.events).toEqual([]);
  });
});
