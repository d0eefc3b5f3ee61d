import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type Express } from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eggapiWebhook, type EggapiWebhookRequest } from './express.js';
import { createReplayGuard, signWebhook } from './index.js';
import { SECRET, SPEC_COMPLETED_BODY, SPEC_FAILED_BODY } from '../test/support/deliveries.js';
import { rawConnection } from '../../../test-support/raw-http.mjs';

const servers: Server[] = [];

async function listen(app: Express): Promise<string> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

function deliver(url: string, body: string | ReadableStream, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    ...(typeof body === 'string' ? {} : { duplex: 'half' }),
  });
}

function signed(body = SPEC_COMPLETED_BODY) {
  return signWebhook(body, SECRET);
}

/** The handler behind every webhook route: echoes the typed event it was given. */
function echoEvent(req: express.Request, res: express.Response) {
  const { eggapiEvent } = req as EggapiWebhookRequest;
  res.json({ event: eggapiEvent.event, task: eggapiEvent.task_id, seen: eggapiEvent });
}

describe('eggapiWebhook middleware on a real express app', () => {
  let base: string;

  beforeAll(async () => {
    const app = express();
    // express.json() on other routes must not disturb the webhook route.
    app.use('/api', express.json());
    app.post('/api/echo', (req, res) => {
      res.json(req.body);
    });
    app.post('/webhook', eggapiWebhook({ secret: SECRET, limit: 4096 }), echoEvent);
    app.post(
      '/webhook/replay-guarded',
      eggapiWebhook({ secret: SECRET, replayGuard: createReplayGuard() }),
      echoEvent,
    );
    // The classic mistake: express.json() ran first on the webhook route.
    app.post('/parsed-first', express.json(), eggapiWebhook({ secret: SECRET }), echoEvent);
    // The documented fixes when a parser must run first.
    app.post(
      '/raw-first',
      express.raw({ type: 'application/json' }),
      eggapiWebhook({ secret: SECRET }),
      echoEvent,
    );
    app.post(
      '/verify-hook',
      express.json({
        verify: (req, _res, buf) => {
          (req as { rawBody?: Buffer }).rawBody = buf;
        },
      }),
      eggapiWebhook({ secret: SECRET }),
      echoEvent,
    );
    base = await listen(app);
  });

  it('passes a valid signed delivery and the handler sees the typed event', async () => {
    const response = await deliver(`${base}/webhook`, SPEC_COMPLETED_BODY, signed());
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      event: 'task.completed',
      task: 'gen_abc123def456',
      seen: JSON.parse(SPEC_COMPLETED_BODY),
    });
  });

  it('passes a failed-task delivery too', async () => {
    const response = await deliver(`${base}/webhook`, SPEC_FAILED_BODY, signed(SPEC_FAILED_BODY));
    expect(await response.json()).toMatchObject({ event: 'task.failed' });
  });

  it('leaves express.json() working on the other routes', async () => {
    const response = await deliver(`${base}/api/echo`, '{"hello":"world"}');
    expect(await response.json()).toEqual({ hello: 'world' });
  });

  it.each([
    [
      'a wrong signature',
      { 'X-EggAPI-Signature': `sha256=${'0'.repeat(64)}` },
      'signature_mismatch',
    ],
    ['no signature', { 'X-EggAPI-Signature': '' }, 'missing_signature'],
    ['a timestamp changed after signing', { 'X-EggAPI-Timestamp': '1000' }, 'signature_mismatch'],
  ])('answers 400 with a short JSON reason for %s', async (_name, override, code) => {
    const headers = { ...signed(), ...override };
    const response = await deliver(`${base}/webhook`, SPEC_COMPLETED_BODY, headers);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message).toEqual(expect.any(String));
  });

  it('answers 400 timestamp_too_old for an authentic but stale delivery', async () => {
    const old = Math.floor(Date.now() / 1000) - 301;
    const response = await deliver(
      `${base}/webhook`,
      SPEC_COMPLETED_BODY,
      signWebhook(SPEC_COMPLETED_BODY, SECRET, old),
    );
    expect(await response.json()).toMatchObject({ error: { code: 'timestamp_too_old' } });
  });

  it('answers 400 body_was_parsed, naming the fix, when express.json() ran first', async () => {
    const response = await deliver(`${base}/parsed-first`, SPEC_COMPLETED_BODY, signed());
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('body_was_parsed');
    expect(body.error.message).toMatch(/express\.raw/);
  });

  it.each(['/raw-first', '/verify-hook'])(
    'uses the raw bytes a parser kept on %s',
    async (path) => {
      const response = await deliver(`${base}${path}`, SPEC_COMPLETED_BODY, signed());
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ event: 'task.completed' });
    },
  );

  it('answers 413 for a body over the limit declared in Content-Length', async () => {
    const big = JSON.stringify({ padding: 'x'.repeat(8000) });
    const response = await deliver(`${base}/webhook`, big, signed(big));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('answers 413 for a chunked body that grows past the limit', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await deliver(`${base}/webhook`, stream, signed());
    expect(response.status).toBe(413);
  });

  it('rejects the second copy of a delivery when a replay guard is set', async () => {
    const headers = signed();
    const first = await deliver(`${base}/webhook/replay-guarded`, SPEC_COMPLETED_BODY, headers);
    const second = await deliver(`${base}/webhook/replay-guarded`, SPEC_COMPLETED_BODY, headers);
    expect(first.status).toBe(200);
    expect(second.status).toBe(400);
    expect(await second.json()).toMatchObject({ error: { code: 'replayed' } });
  });
});

describe('eggapiWebhook set-up', () => {
  it.each([
    ['a padded secret', { secret: `${SECRET} ` }, TypeError],
    ['a negative tolerance', { secret: SECRET, tolerance: -5 }, RangeError],
    ['a negative limit', { secret: SECRET, limit: -1 }, RangeError],
  ])('throws at set-up on %s', (_name, options, kind) => {
    expect(() => eggapiWebhook(options)).toThrow(kind);
  });
});

describe('eggapiWebhook with an app-wide express.json()', () => {
  it('answers body_was_parsed and the message tells how to fix it', async () => {
    const app = express();
    app.use(express.json());
    app.post('/webhook', eggapiWebhook({ secret: SECRET }), echoEvent);
    const base = await listen(app);
    const response = await deliver(`${base}/webhook`, SPEC_COMPLETED_BODY, signed());
    expect(await response.json()).toMatchObject({
      error: { code: 'body_was_parsed', message: expect.stringMatching(/raw request body/) },
    });
  });

  it('refuses even a compact JSON delivery whose re-serialisation would match', async () => {
    const app = express();
    app.use(express.json());
    app.post('/webhook', eggapiWebhook({ secret: SECRET }), echoEvent);
    const base = await listen(app);
    const compact = JSON.stringify(JSON.parse(SPEC_COMPLETED_BODY));
    const response = await deliver(`${base}/webhook`, compact, signed(compact));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('body_was_parsed');
    expect(body.error.message).toMatch(/Mount the middleware before the parser/);
    expect(body.error.message).toMatch(/before app\.use\(express\.json\(\)\)/);
  });

  it('still works when the webhook route is mounted before the parser', async () => {
    const app = express();
    app.post('/webhook', eggapiWebhook({ secret: SECRET }), echoEvent);
    app.use(express.json());
    const base = await listen(app);
    const response = await deliver(`${base}/webhook`, SPEC_COMPLETED_BODY, signed());
    expect(response.status).toBe(200);
  });
});

describe('eggapiWebhook when the client goes away', () => {
  it('neither answers, nor calls the handler, nor passes an error to next() for a body cut off half-way', async () => {
    const nextCalls: unknown[] = [];
    const errors: unknown[] = [];
    let settled!: () => void;
    const done = new Promise<void>((resolve) => (settled = resolve));
    let handled = false;
    let entered = false;
    const middleware = eggapiWebhook({ secret: SECRET });
    const app = express();
    app.post(
      '/webhook',
      (req, res, next) => {
        // Settles once the middleware has dealt with the request, whatever it did.
        entered = true;
        void middleware(req, res, (error?: unknown) => {
          nextCalls.push(error);
          next(error);
        }).then(settled);
      },
      () => {
        handled = true;
      },
    );
    app.use((error: unknown, _req: express.Request, res: express.Response, _next: unknown) => {
      errors.push(error);
      res.status(500).end();
    });
    const base = new URL(await listen(app));
    const connection = await rawConnection(Number(base.port), base.hostname);
    const headers = signed();
    connection.write(
      'POST /webhook HTTP/1.1\r\n' +
        `Host: ${base.host}\r\n` +
        'Content-Type: application/json\r\n' +
        'Content-Length: 1000\r\n' +
        `X-EggAPI-Timestamp: ${headers['X-EggAPI-Timestamp']}\r\n` +
        `X-EggAPI-Signature: ${headers['X-EggAPI-Signature']}\r\n\r\n` +
        SPEC_COMPLETED_BODY.slice(0, 100),
    );
    // Once the middleware is reading the body (it waits for the rest), go away.
    await vi.waitUntil(() => entered);
    connection.destroy();
    await done;
    expect(nextCalls).toEqual([]);
    expect(errors).toEqual([]);
    expect(handled).toBe(false);
    expect(connection.received()).toBe('');
  });
});
