import { describe, expect, it } from 'vitest';
import { createTask, mockServer, validRequest } from './support/harness.js';
import { rawConnection, rawRequest } from '../../../test-support/raw-http.mjs';
import { startHeldReceiver, startReceiver } from './support/receiver.js';

describe('shutdown loses nothing it could keep', () => {
  it('sends a retry that falls due inside the grace period to a slow receiver, then reports nothing abandoned', async () => {
    const hook = await startHeldReceiver();
    try {
      const server = await mockServer({
        shutdownGraceMs: 10_000,
        webhooks: { backoffBaseMs: 150, timeoutMs: 5_000 },
      });
      const id = await createTask(server, { ...validRequest, webhook_url: hook.url });
      await hook.arrived(1);
      const closed = server.close();
      hook.held[0]!.answer(500); // the first attempt fails while the server is closing…
      await hook.arrived(2); // …and its retry, due 150 ms later, is still sent
      hook.held[1]!.answer(200); // slowly answered, after the retry arrived
      expect(await closed).toEqual({ unendedTasks: [], undeliveredWebhooks: [] });
      const [delivery] = await server.deliveries(id);
      expect(delivery!.state).toBe('succeeded');
      expect(delivery!.attempts.map((a) => a.status)).toEqual([500, 200]);
    } finally {
      await hook.close();
    }
  });

  it('reports a retry due after the grace period, and a task that has not ended, as abandoned', async () => {
    const hook = await startReceiver([500]);
    try {
      const server = await mockServer({
        shutdownGraceMs: 100,
        webhooks: { backoffBaseMs: 60_000 },
      });
      const hooked = await createTask(server, { ...validRequest, webhook_url: hook.url });
      const waiting = await createTask(server, validRequest, {
        'x-eggapi-mock-scenario': 'polls=5',
      });
      await server.waitForDeliveries(
        hooked,
        (d) => d[0]?.attempts.length === 1 && d[0].next_attempt_at !== null,
      );
      const report = await server.close();
      const [delivery] = await server.deliveries(hooked);
      expect(report).toEqual({ unendedTasks: [waiting], undeliveredWebhooks: [delivery!.id] });
      expect(hook.received).toHaveLength(1);
    } finally {
      await hook.close();
    }
  });

  it('lets tasks that end inside the grace period end and deliver', async () => {
    const hook = await startReceiver();
    try {
      const server = await mockServer({
        timing: { queueMs: 50, processingMs: 100, jitter: 0 },
        shutdownGraceMs: 10_000,
      });
      const id = await createTask(server, { ...validRequest, webhook_url: hook.url });
      expect(await server.close()).toEqual({ unendedTasks: [], undeliveredWebhooks: [] });
      expect(hook.received).toHaveLength(1);
      expect(JSON.parse(hook.received[0]!.body)).toMatchObject({
        task_id: id,
        status: 'completed',
      });
    } finally {
      await hook.close();
    }
  });

  it('stops accepting new connections at once', async () => {
    const hook = await startHeldReceiver();
    try {
      const server = await mockServer({ shutdownGraceMs: 10_000 });
      await createTask(server, { ...validRequest, webhook_url: hook.url });
      await hook.arrived(1); // an attempt in flight keeps the server shutting down
      const closed = server.close();
      await expect(
        rawRequest(server.port, 'GET /v1/tasks HTTP/1.1\r\nHost: x\r\n\r\n'),
      ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      hook.held[0]!.answer();
      await closed;
    } finally {
      await hook.close();
    }
  });

  it('abandons at once when asked (tests that do not care)', async () => {
    const hook = await startHeldReceiver();
    try {
      const server = await mockServer({ shutdownGraceMs: 10_000 });
      const id = await createTask(server, { ...validRequest, webhook_url: hook.url });
      await hook.arrived(1);
      const report = await server.close({ abandon: true });
      const [delivery] = await server.deliveries(id);
      expect(report.undeliveredWebhooks).toEqual([delivery!.id]);
      expect(delivery!.attempts[0]!.error).toBe('server shutting down');
    } finally {
      await hook.close();
    }
  });
});

describe('shutdown on a kept-alive connection', () => {
  it('refuses a second request on the same socket with 503 and closes it', async () => {
    const hook = await startHeldReceiver();
    try {
      const server = await mockServer({ shutdownGraceMs: 10_000 });
      await createTask(server, { ...validRequest, webhook_url: hook.url });
      await hook.arrived(1);
      const { Agent } = await import('node:http');
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const get = () =>
        new Promise<{ status: number; connection?: string; body: string }>((resolve, reject) => {
          import('node:http').then(({ request }) => {
            const req = request(
              `${server.url}/v1/tasks`,
              { agent, headers: { authorization: `Bearer ${server.apiKey}` } },
              (res) => {
                let body = '';
                res.setEncoding('utf8');
                res.on('data', (chunk: string) => (body += chunk));
                res.on('end', () =>
                  resolve({ status: res.statusCode!, connection: res.headers.connection, body }),
                );
              },
            );
            req.on('error', reject);
            req.end();
          }, reject);
        });
      expect((await get()).status).toBe(200);
      const closed = server.close();
      const refused = await get();
      expect(refused).toMatchObject({ status: 503, connection: 'close' });
      expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'SERVICE_UNAVAILABLE' } });
      hook.held[0]!.answer();
      await closed;
      agent.destroy();
    } finally {
      await hook.close();
    }
  });

  it('answers a request in flight when close() begins', async () => {
    const server = await mockServer({ shutdownGraceMs: 10_000 });
    const body = JSON.stringify(validRequest);
    // The headers arrive before close(), the body after it.
    const connection = await rawConnection(server.port);
    connection.write(
      `POST /v1/generate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${server.apiKey}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
    );
    // Expect: 100-continue makes the server say when it has the request: then it is in flight.
    await connection.sees('100 Continue');
    const closed = server.close();
    connection.write(body);
    await closed;
    await connection.closed;
    expect(connection.received()).toMatch(/HTTP\/1\.1 202 /);
  });
});
