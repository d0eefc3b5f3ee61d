import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler } from 'express';
import { Redis, type Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { useRedisServer } from '../../../test-support/redis.mjs';
import { freePort } from '../../../test-support/services.mjs';
import { eggapiWebhook } from './express.js';
import { verifyRequest } from './fetch.js';
import {
  createReplayGuard,
  isWebhookVerificationError,
  signWebhook,
  WebhookVerificationError,
} from './index.js';
import {
  DEFAULT_REDIS_REPLAY_PREFIX,
  RedisReplayStore,
  type RedisReplayClient,
} from './redis-replay-store.js';
import { SECRET, SPEC_COMPLETED_BODY, SPEC_FAILED_BODY } from '../test/support/deliveries.js';

/** A fake client that records its calls and answers with `reply`. */
function fakeClient(reply: () => Promise<string | null>) {
  const calls: unknown[][] = [];
  const client: RedisReplayClient = {
    set: (...args) => {
      calls.push(args);
      return reply();
    },
  };
  return { client, calls };
}

describe('RedisReplayStore (with a fake client)', () => {
  it("sends SET <prefix><key> 1 PX <ttl ms> NX and reads 'OK' as new, null as seen", async () => {
    const replies: (string | null)[] = ['OK', null];
    const { client, calls } = fakeClient(() => Promise.resolve(replies.shift() ?? null));
    const store = new RedisReplayStore({ client });
    expect(store.prefix).toBe(DEFAULT_REDIS_REPLAY_PREFIX);
    await expect(store.setIfAbsent('k', 601)).resolves.toBe(true);
    await expect(store.setIfAbsent('k', 1.5)).resolves.toBe(false);
    expect(calls).toEqual([
      ['eggapi-webhook:replay:k', '1', 'PX', 601_000, 'NX'],
      ['eggapi-webhook:replay:k', '1', 'PX', 1500, 'NX'],
    ]);
  });

  it('uses the given prefix (empty included)', async () => {
    const { client, calls } = fakeClient(() => Promise.resolve('OK'));
    await new RedisReplayStore({ client, prefix: 'app-1:' }).setIfAbsent('k', 1);
    await new RedisReplayStore({ client, prefix: '' }).setIfAbsent('k', 1);
    expect(calls.map((call) => call[0])).toEqual(['app-1:k', 'k']);
  });

  it('fails closed: a Redis error rejects the check with a clear error, not a verification error', async () => {
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:6390');
    const { client } = fakeClient(() => Promise.reject(cause));
    const guard = createReplayGuard({ store: new RedisReplayStore({ client }) });
    const error: unknown = await guard
      .check(JSON.parse(SPEC_COMPLETED_BODY))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(isWebhookVerificationError(error)).toBe(false);
    expect((error as Error).message).toMatch(
      /Redis replay store could not record this delivery \(SET eggapi-webhook:replay:.* failed: connect ECONNREFUSED .*\)\. The delivery is refused/,
    );
    expect((error as Error).cause).toBe(cause);
  });

  it.each([['QUEUED'], [1], [undefined]])(
    'refuses to guess on an unexpected reply (%j)',
    async (reply) => {
      const { client } = fakeClient(() => Promise.resolve(reply as string));
      await expect(new RedisReplayStore({ client }).setIfAbsent('k', 1)).rejects.toThrow(
        /expected 'OK' or null/,
      );
    },
  );

  it.each([0, -1, NaN, Infinity])('rejects a TTL of %s with RangeError', async (ttl) => {
    const { client, calls } = fakeClient(() => Promise.resolve('OK'));
    await expect(new RedisReplayStore({ client }).setIfAbsent('k', ttl)).rejects.toThrow(
      RangeError,
    );
    expect(calls).toEqual([]);
  });

  it.each([
    ['no options', undefined],
    ['no client', {}],
    ['a client without set', { client: {} }],
    ['a prefix that is not a string', { client: { set: () => Promise.resolve('OK') }, prefix: 1 }],
  ])('throws TypeError at construction on %s', (_name, options) => {
    expect(() => new RedisReplayStore(options as never)).toThrow(TypeError);
  });

  it('types: an ioredis Redis or Cluster is a client, and so is a node-redis adapter', () => {
    expectTypeOf<Redis>().toExtend<RedisReplayClient>();
    expectTypeOf<Cluster>().toExtend<RedisReplayClient>();
    // node-redis: set(key, value, { PX, NX }) resolves string | null.
    const nodeRedis = {} as {
      set(key: string, value: string, options: { PX: number; NX: true }): Promise<string | null>;
    };
    const adapter: RedisReplayClient = {
      set: (key, value, _px, ms) => nodeRedis.set(key, value, { PX: ms, NX: true }),
    };
    expectTypeOf(adapter).toExtend<RedisReplayClient>();
    // @ts-expect-error -- a set() that does not resolve 'OK' or null (e.g. SETNX's 0/1) is not one.
    const _setnx: RedisReplayClient = { set: (_k: string, _v: string) => Promise.resolve(1) };
  });
});

// Two receivers sharing one real redis-server, as two instances of a service would.
const redisServer = useRedisServer('@eggapi/webhook RedisReplayStore tests');

type Receiver = { url: string; accepted: string[]; redis: Redis };

/** An ioredis client; its connection errors (expected here while Redis is down) are not logged. */
function quiet(redis: Redis): Redis {
  return redis.on('error', () => {});
}

/** Receiver 1: express with the `eggapiWebhook` middleware; store errors answer 503. */
async function expressReceiver(redisUrl: string, servers: Server[]): Promise<Receiver> {
  // Fail fast when Redis is unreachable, as the README advises: one retry, then an error.
  const redis = quiet(new Redis(redisUrl, { maxRetriesPerRequest: 1 }));
  const replayGuard = createReplayGuard({ store: new RedisReplayStore({ client: redis }) });
  const accepted: string[] = [];
  const app = express();
  app.post('/webhook', eggapiWebhook({ secret: SECRET, replayGuard }), (req, res) => {
    accepted.push(req.eggapiEvent!.event);
    res.sendStatus(204);
  });
  const storeFailed: ErrorRequestHandler = (error: Error, _req, res, _next) => {
    res.status(503).json({ error: { message: error.message } });
  };
  app.use(storeFailed);
  return { url: `${await listen(app, servers)}/webhook`, accepted, redis };
}

/** Receiver 2: a Fetch API handler (`verifyRequest`) served by node:http. */
async function fetchReceiver(redisUrl: string, servers: Server[]): Promise<Receiver> {
  const redis = quiet(new Redis(redisUrl, { maxRetriesPerRequest: 1 }));
  const replayGuard = createReplayGuard({ store: new RedisReplayStore({ client: redis }) });
  const accepted: string[] = [];
  const handle = async (request: Request): Promise<Response> => {
    try {
      const event = await verifyRequest(request, { secret: SECRET, replayGuard });
      accepted.push(event.event);
      return new Response(null, { status: 204 });
    } catch (error) {
      if (isWebhookVerificationError(error)) {
        return Response.json({ error: { code: error.reason } }, { status: 400 });
      }
      return Response.json({ error: { message: (error as Error).message } }, { status: 503 });
    }
  };
  return { url: `${await listen(bridge(handle), servers)}/webhook`, accepted, redis };
}

/** A node:http listener that turns each request into a Fetch `Request` for `handle`. */
function bridge(handle: (request: Request) => Promise<Response>) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers.set(name, value);
      }
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: req.method!,
        headers,
        body: Buffer.concat(chunks),
      });
      void handle(request).then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      });
    });
  };
}

async function listen(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
  servers: Server[],
): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function deliver(url: string, body: string, headers: Record<string, string>) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

describe.skipIf(!redisServer.available)(
  'RedisReplayStore: two receivers sharing one real Redis',
  () => {
    let admin: Redis;
    let one: Receiver;
    let two: Receiver;
    const servers: Server[] = [];
    // Each test signs with its own timestamps (within the 300 s tolerance): its own keys.
    let nextTimestamp = Math.floor(Date.now() / 1000) - 250;
    const signed = (body = SPEC_COMPLETED_BODY) => signWebhook(body, SECRET, nextTimestamp++);

    beforeAll(async () => {
      admin = quiet(new Redis(redisServer.url));
      one = await expressReceiver(redisServer.url, servers);
      two = await fetchReceiver(redisServer.url, servers);
    });

    afterAll(async () => {
      for (const redis of [admin, one?.redis, two?.redis]) redis?.disconnect();
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    });

    it('a delivery accepted by receiver 1 is refused as a replay by receiver 2', async () => {
      const headers = signed();
      expect((await deliver(one.url, SPEC_COMPLETED_BODY, headers)).status).toBe(204);
      const replay = await deliver(two.url, SPEC_COMPLETED_BODY, headers);
      expect(replay.status).toBe(400);
      expect(await replay.json()).toEqual({ error: { code: 'replayed' } });
      // And the other way round: receiver 1 refuses what it already accepted.
      expect((await deliver(one.url, SPEC_COMPLETED_BODY, headers)).status).toBe(400);
    });

    it('the other receiver accepts a different delivery (another event, or a re-signed retry)', async () => {
      const failed = signed(SPEC_FAILED_BODY);
      expect((await deliver(two.url, SPEC_FAILED_BODY, failed)).status).toBe(204);
      const first = signed();
      expect((await deliver(two.url, SPEC_COMPLETED_BODY, first)).status).toBe(204);
      const resigned = signed();
      expect((await deliver(one.url, SPEC_COMPLETED_BODY, resigned)).status).toBe(204);
      expect((await deliver(one.url, SPEC_FAILED_BODY, failed)).status).toBe(400);
    });

    it('of one delivery sent to both receivers at once, exactly one copy is accepted', async () => {
      const headers = signed();
      const before = one.accepted.length + two.accepted.length;
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          deliver(i % 2 ? two.url : one.url, SPEC_COMPLETED_BODY, headers),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([204, ...Array<number>(9).fill(400)]);
      expect(one.accepted.length + two.accepted.length).toBe(before + 1);
    });

    it('keeps each key for 2 × tolerance + 1 s in Redis, under the prefix', async () => {
      const headers = signed();
      await deliver(one.url, SPEC_COMPLETED_BODY, headers);
      const key = `eggapi-webhook:replay:${JSON.stringify([
        'gen_abc123def456',
        'task.completed',
        headers['X-EggAPI-Timestamp'],
      ])}`;
      expect(await admin.get(key)).toBe('1');
      const pttl = await admin.pttl(key);
      expect(pttl).toBeGreaterThan(595_000);
      expect(pttl).toBeLessThanOrEqual(601_000);
    });

    it('accepts the same delivery again once Redis has expired its key (tolerance 0: 1 s)', async () => {
      const store = new RedisReplayStore({ client: admin, prefix: 'expiry-test:' });
      const guard = createReplayGuard({ store, tolerance: 0 });
      const event = JSON.parse(SPEC_COMPLETED_BODY);
      const started = Date.now();
      await guard.check(event);
      await expect(guard.check(event)).rejects.toThrow(WebhookVerificationError);
      const key = `expiry-test:${JSON.stringify(['gen_abc123def456', 'task.completed', '1778217000'])}`;
      await expect.poll(() => admin.exists(key), { timeout: 5_000, interval: 50 }).toBe(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      await expect(guard.check(event)).resolves.toBeUndefined();
    });

    it('a Redis that nobody listens on fails the check with a clear error', async () => {
      const redis = quiet(new Redis(await freePort(), '127.0.0.1', { maxRetriesPerRequest: 1 }));
      try {
        const guard = createReplayGuard({ store: new RedisReplayStore({ client: redis }) });
        const error: unknown = await guard
          .check(JSON.parse(SPEC_COMPLETED_BODY))
          .catch((e: unknown) => e);
        expect(isWebhookVerificationError(error)).toBe(false);
        expect((error as Error).message).toMatch(/Redis replay store could not record/);
      } finally {
        redis.disconnect();
      }
    });

    // Last: stops the shared Redis, then starts it again.
    it('Redis down: both receivers refuse the delivery (503, not accepted), and take it once Redis is back', async () => {
      const headers = signed();
      await redisServer.server.kill();
      for (const receiver of [one, two]) {
        const answer = await deliver(receiver.url, SPEC_COMPLETED_BODY, headers);
        expect(answer.status).toBe(503);
        expect((await answer.json()).error.message).toMatch(
          /^eggapi webhook: the Redis replay store could not record this delivery .* refused rather than accepted unchecked/,
        );
      }
      const accepted = one.accepted.length + two.accepted.length;
      await redisServer.server.start();
      // The refused delivery was not recorded: its retry passes, once, when Redis is back.
      await expect
        .poll(async () => (await deliver(two.url, SPEC_COMPLETED_BODY, headers)).status, {
          timeout: 10_000,
          interval: 50,
        })
        .toBe(204);
      expect(one.accepted.length + two.accepted.length).toBe(accepted + 1);
      expect((await deliver(one.url, SPEC_COMPLETED_BODY, headers)).status).toBe(400);
    });
  },
);
