import { signWebhook } from '@eggapi/webhook';
import {
  MockEngine,
  resolveOptions,
  type MockServerOptions,
  type WebhookSender,
} from '../../src/index.js';

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
}

/**
 * How each store and scheduler is built for the shared behaviour table. The memory engine is
 * the default; a Redis-backed one (issue #12) adds a row here and must pass the same table.
 */
export const ENGINE_FACTORIES: [
  name: string,
  make: (options?: MockServerOptions) => EngineUnderTest,
][] = [
  [
    'memory store, timer-heap scheduler',
    (options = {}) => {
      let now = Date.parse('2026-05-08T10:30:00Z');
      const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
      const sent: SentWebhook[] = [];
      const answers: number[] = [];
      const sender: WebhookSender = (request) => {
        sent.push({ url: request.url, headers: request.headers, body: request.body });
        return Promise.resolve({ status: answers.shift() ?? 200 });
      };
      const engine = new MockEngine(resolveOptions({ ...options, now: clock.now }), {
        sign: (body, secret, timestamp) => ({ ...signWebhook(body, secret, timestamp) }),
        sender,
      });
      return { engine, clock, sent, answers };
    },
  ],
];
