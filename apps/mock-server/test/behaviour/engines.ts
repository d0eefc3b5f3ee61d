import { createEngine } from '@eggapi/mock-engine';
import { signWebhook } from '@eggapi/webhook';
import {
  serviceAvailable,
  startRedisServer,
  type RedisServer,
} from '../../../../test-support/services.mjs';
import {
  type MockEngine,
  resolveOptions,
  type MockServerOptions,
  type WebhookSender,
} from '../../src/index.js';
import { connectRedis } from '../../src/store/redis/backend.js';
import { storeInitOf } from '@eggapi/mock-engine/host';

/** A webhook request the engine sent, as a test-side sender saw it. */
export interface SentWebhook {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** An engine under test, with a clock the test moves and the webhooks it sent. */
export interface EngineUnderTest {
  engine: MockEngine;
  clock: { now(): number; advance(ms: number): void };
  sent: SentWebhook[];
  /** Scripts the receiver's statuses in order (then 200). */
  answers: number[];
  /** Shuts the engine down at once and releases what it holds. */
  close(): Promise<void>;
}

type Parts = Omit<EngineUnderTest, 'engine' | 'close'> & {
  options: MockServerOptions & { now: () => number };
  deps: { sign: typeof sign; sender: WebhookSender };
};

const sign = (body: string, secret: string, timestamp: number) => ({
  ...signWebhook(body, secret, timestamp),
});

/** A test clock, a recording sender, and the engine's options and deps around them. */
function parts(options: MockServerOptions): Parts {
  let now = Date.parse('2026-05-08T10:30:00Z');
  const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
  const sent: SentWebhook[] = [];
  const answers: number[] = [];
  const sender: WebhookSender = (request) => {
    sent.push({ url: request.url, headers: request.headers, body: request.body });
    return Promise.resolve({ status: answers.shift() ?? 200 });
  };
  return { clock, sent, answers, options: { ...options, now: clock.now }, deps: { sign, sender } };
}

let redisServer: Promise<RedisServer> | undefined;
let prefixes = 0;

/** Stops what the factories started (the Redis row's server). */
export async function closeEngineFactories(): Promise<void> {
  const server = redisServer;
  redisServer = undefined;
  await (await server)?.close();
}

/**
 * How each store and scheduler is built for the shared behaviour table: the memory engine, and
 * the Redis store with the BullMQ scheduler (skipped locally without redis-server, required in CI).
 */
export const ENGINE_FACTORIES: [
  name: string,
  make: (options?: MockServerOptions) => Promise<EngineUnderTest>,
][] = [
  [
    'memory store, timer-heap scheduler',
    (options = {}) => {
      const { options: resolved, deps, ...rest } = parts(options);
      const engine = createEngine(resolveOptions(resolved), deps);
      return Promise.resolve({
        engine,
        ...rest,
        close: async () => void (await engine.shutdown(0)),
      });
    },
  ],
];

if (
  serviceAvailable('redis-server', 'redis-server', 'the Redis row of the engine behaviour table')
) {
  ENGINE_FACTORIES.push([
    'redis store, BullMQ scheduler',
    async (options = {}) => {
      const server = await (redisServer ??= startRedisServer());
      const { options: given, deps, ...rest } = parts(options);
      // A fresh prefix per engine: the table's engines share one Redis but not their state.
      const prefix = `behaviour-${process.pid}-${++prefixes}`;
      const resolved = resolveOptions({
        ...given,
        redis: { url: server.url, prefix, lockMs: 1_000 },
      });
      const redis = await connectRedis(resolved.redis!, (salt) => storeInitOf(resolved, salt), {
        now: resolved.now,
        onError: (error) => console.error(error),
      });
      const engine = createEngine(resolved, {
        ...deps,
        store: redis.store,
        scheduler: redis.scheduler,
      });
      return {
        engine,
        ...rest,
        close: async () => {
          await engine.shutdown(0);
          await redis.close();
        },
      };
    },
  ]);
}
