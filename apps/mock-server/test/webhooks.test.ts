import { createHmac } from 'node:crypto';
import { WebhookEventSchema } from '@eggapi/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { call, createTask, mockServer, REDIS_MODE, validRequest } from './support/harness.js';
import { deadUrl, startReceiver, type Answer } from './support/receiver.js';

const SECRET = 'whsec_mock_test_secret';
const receivers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(answers: Answer[] = []) {
  const r = await startReceiver(answers);
  receivers.push(r);
  return r;
}

/** sha256= + hex HMAC-SHA256(secret, "{timestamp}.{raw_body}"), computed here with node:crypto. */
function expectedSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

const fastRetries = { timeoutMs: 2_000, maxAttempts: 5, backoffBaseMs: 40, backoffMaxMs: 10_000 };

describe('webhook deliveries', () => {
  it('POSTs the completed payload, signed exactly as the spec says', async () => {
    const hook = await receiver();
    const server = await mockServer({ webhookSecret: SECRET });
    const id = await createTask(server, { ...validRequest, webhook_url: hook.url });
    await server.waitForDeliveries(id, (d) => d[0]?.state === 'succeeded');
    expect(hook.received).toHaveLength(1);
    const [delivery] = hook.received;
    const timestamp = String(delivery!.headers['x-eggapi-timestamp']);
    expect(timestamp).toMatch(/^\d{10}$/);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5);
    expect(delivery!.headers['x-eggapi-signature']).toBe(
      expectedSignature(SECRET, timestamp, delivery!.body),
    );
    expect(delivery!.headers['content-type']).toBe('application/json');
    const payload = JSON.parse(delivery!.body);
    // Member order as on the spec page, so receivers comparing bytes with the docs are not surprised.
    expect(Object.keys(payload)).toEqual([
      'event',
      'task_id',
      'status',
      'model',
      'output',
      'cost',
      'timestamp',
    ]);
    expect(payload).toEqual({
      event: 'task.completed',
      task_id: id,
      status: 'completed',
      model: 'nanobanana',
      output: { urls: [`${server.url}/images/${id}/0.png`] },
      cost: '0.010000',
      timestamp: expect.any(Number),
    });
    expect(WebhookEventSchema.parse(payload).event).toBe('task.completed');
  });

  it('links the images where the task was created, as the task’s own answers do', async () => {
    const hook = await receiver();
    const server = await mockServer({ webhookSecret: SECRET });
    const viaLocalhost = { ...server, url: server.url.replace('127.0.0.1', 'localhost') };
    const created = await call(viaLocalhost, 'POST', '/v1/generate', {
      body: { ...validRequest, webhook_url: hook.url },
    });
    const id = created.body.data.id as string;
    await server.waitForDeliveries(id, (d) => d[0]?.state === 'succeeded');
    const task = (await call(viaLocalhost, 'GET', `/v1/tasks/${id}`)).body.data;
    const payload = JSON.parse(hook.received[0]!.body);
    expect(payload.output.urls).toEqual(task.output.urls);
    expect(payload.output.urls[0]).toMatch(/^http:\/\/localhost:\d+\/images\//);
  });

  it('POSTs the failed payload with the error and a zero cost', async () => {
    const hook = await receiver();
    const server = await mockServer({ webhookSecret: SECRET });
    const id = await createTask(
      server,
      { ...validRequest, webhook_url: hook.url },
      {
        'x-eggapi-mock-scenario': 'fail="generation failed: upstream provider unavailable"',
      },
    );
    await server.waitForDeliveries(id, (d) => d[0]?.state === 'succeeded');
    expect(JSON.parse(hook.received[0]!.body)).toEqual({
      event: 'task.failed',
      task_id: id,
      status: 'failed',
      model: 'nanobanana',
      error: 'generation failed: upstream provider unavailable',
      cost: '0.000000',
      timestamp: expect.any(Number),
    });
  });

  it('sends no signature header when no secret is configured, as upstream', async () => {
    const hook = await receiver();
    const server = await mockServer();
    const id = await createTask(server, { ...validRequest, webhook_url: hook.url });
    await server.waitForDeliveries(id, (d) => d[0]?.state === 'succeeded');
    expect(hook.received[0]!.headers['x-eggapi-timestamp']).toMatch(/^\d{10}$/);
    expect(hook.received[0]!.headers).not.toHaveProperty('x-eggapi-signature');
  });

  it('retries a receiver that answers 500, with growing gaps, until it answers 2xx', async () => {
    const hook = await receiver([500, 503, 200]);
    const server = await mockServer({
      webhookSecret: SECRET,
      webhooks: { ...fastRetries, backoffBaseMs: 100 },
    });
    const id = await createTask(server, { ...validRequest, webhook_url: hook.url });
    const [delivery] = await server.waitForDeliveries(id, (d) => d[0]?.state === 'succeeded');
    expect(delivery!.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
    const [a, b, c] = hook.received.map((r) => r.at);
    expect(b! - a!).toBeGreaterThanOrEqual(98);
    expect(c! - b!).toBeGreaterThanOrEqual(198);
    expect(c! - b!).toBeGreaterThan(b! - a!);
    for (const r of hook.received) {
      const ts = String(r.headers['x-eggapi-timestamp']);
      expect(r.headers['x-eggapi-signature']).toBe(expectedSignature(SECRET, ts, r.body));
    }
    expect(new Set(hook.received.map((r) => r.body)).size).toBe(1);
  });

  it('records per attempt the headers sent (with the signature) and an excerpt of the answer', async () => {
    // 1,000 × "é" (2 bytes each) and more: the excerpt stops at 2 KB without cutting a character.
    const long = `${'é'.repeat(1_500)}tail`;
    const hook = await receiver([
      { status: 500, body: long },
      { status: 200, body: 'thanks' },
    ]);
    const server = await mockServer({
      webhookSecret: SECRET,
      webhooks: { ...fastRetries, backoffBaseMs: 10 },
    });
    const id = await createTask(server, { ...validRequest, webhook_url: hook.url });
    const [delivery] = await server.waitForDeliveries(id, (d) => d[0]?.state === 'succeeded');
    const [first, second] = delivery!.attempts;
    expect(first).toMatchObject({ status: 500, response_truncated: true });
    expect(first!.response_body).toBe('é'.repeat(1_024));
    expect(second).toMatchObject({
      status: 200,
      response_body: 'thanks',
      response_truncated: false,
    });
    hook.received.forEach((sent, n) => {
      const headers = delivery!.attempts[n]!.request_headers!;
      expect(headers).toMatchObject({
        'content-type': 'application/json',
        'X-EggAPI-Timestamp': sent.headers['x-eggapi-timestamp'],
        'X-EggAPI-Signature': sent.headers['x-eggapi-signature'],
      });
      expect(sent.body).toBe(delivery!.body);
    });
  });

  it('gives up after 5 attempts to a receiver that is down, recording each error', async () => {
    const url = await deadUrl();
    const server = await mockServer({ webhooks: { ...fastRetries, backoffBaseMs: 10 } });
    const id = await createTask(server, { ...validRequest, webhook_url: url });
    const [delivery] = await server.waitForDeliveries(id, (d) => d[0]?.state === 'failed');
    expect(delivery!.attempts).toHaveLength(5);
    expect(delivery!.attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5]);
    for (const attempt of delivery!.attempts) {
      expect(attempt).toMatchObject({ url, error: 'ECONNREFUSED' });
      expect(attempt.status).toBeUndefined();
      expect(attempt.durationMs).toBeGreaterThanOrEqual(0);
    }
    const starts = delivery!.attempts.map((a) => Date.parse(a.at));
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    // Each wait is at least its backoff, 10 · 2^n ms (a busy machine only makes them longer, so
    // comparing one gap with another would not say whether the backoff grew).
    const planned = [10, 20, 40, 80];
    expect(gaps).toHaveLength(4);
    gaps.forEach((gap, n) => {
      expect(gap, `the wait before attempt ${n + 2}`).toBeGreaterThanOrEqual(planned[n]! - 5);
    });
  });

  it('times out a receiver that hangs, per attempt', async () => {
    const hook = await receiver(['hang', 'hang', 200]);
    const server = await mockServer({
      webhooks: { ...fastRetries, timeoutMs: 150, backoffBaseMs: 10 },
    });
    const id = await createTask(server, { ...validRequest, webhook_url: hook.url });
    const [delivery] = await server.waitForDeliveries(id, (d) => d[0]?.state === 'succeeded');
    expect(delivery!.attempts.slice(0, 2).map((a) => a.error)).toEqual([
      'timed out after 150 ms',
      'timed out after 150 ms',
    ]);
    expect(delivery!.attempts[0]!.durationMs).toBeGreaterThanOrEqual(145);
    expect(delivery!.attempts[2]!.status).toBe(200);
  });

  it('lists deliveries and redelivers one through the admin routes', async () => {
    const hook = await receiver();
    const server = await mockServer({ webhookSecret: SECRET });
    const id = await createTask(server, { ...validRequest, webhook_url: hook.url });
    await server.waitForDeliveries(id, (d) => d[0]?.state === 'succeeded');
    const listed = await call(server, 'GET', `/__admin/webhooks?task_id=${id}`, { auth: null });
    expect(listed.body.data).toHaveLength(1);
    const deliveryId = listed.body.data[0].id as string;
    expect(listed.body.data[0]).toMatchObject({
      task_id: id,
      event: 'task.completed',
      url: hook.url,
    });
    const again = await call(server, 'POST', `/__admin/webhooks/${deliveryId}/redeliver`, {
      auth: null,
    });
    expect(again.status).toBe(202);
    await server.waitForDeliveries(
      id,
      (d) => d[0]?.attempts.length === 2 && d[0].state === 'succeeded',
    );
    expect(hook.received).toHaveLength(2);
    expect(hook.received[1]!.body).toBe(hook.received[0]!.body);
    expect(
      (await call(server, 'POST', '/__admin/webhooks/whd_nope/redeliver', { auth: null })).status,
    ).toBe(404);
  });

  // With Redis the connections close with the server, so its state is read elsewhere: see
  // test/redis for what shutdown does there.
  it.skipIf(REDIS_MODE)('lets an attempt in flight finish when the server closes', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { createServer } = await import('node:http');
    let arrive!: () => void;
    const arrived = new Promise<void>((resolve) => (arrive = resolve));
    const slow = createServer((req, res) => {
      req.resume();
      arrive();
      void held.then(() => res.end('ok'));
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const port = (slow.address() as { port: number }).port;
    const server = await mockServer({ shutdownGraceMs: 5_000 });
    const id = await createTask(server, {
      ...validRequest,
      webhook_url: `http://127.0.0.1:${port}/h`,
    });
    await call(server, 'GET', `/v1/tasks/${id}`);
    await arrived;
    expect((await server.engine.health()).webhooks_in_flight).toBe(1);
    const closed = server.close();
    release();
    expect(await closed).toEqual({ unendedTasks: [], undeliveredWebhooks: [] });
    expect((await server.deliveries(id))[0]!.attempts[0]!.status).toBe(200);
    slow.close();
  });
});
