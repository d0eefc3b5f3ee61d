import type { EggAPI, Task } from '@eggapi/client';
import type { RawHttp } from './raw-http.js';
import type { WebhookReceiver } from './receiver.js';

/** Settings of a conformance run. */
export interface ConformanceOptions {
  /** Base URL of the server under test, e.g. `http://127.0.0.1:4010`. */
  baseUrl: string;
  /** A valid API key of that server. */
  apiKey: string;
  /** The server's webhook secret; enables the webhook checks. */
  webhookSecret?: string;
  /** Host the local webhook receiver binds to and names in `webhook_url` (default 127.0.0.1). */
  receiverHost?: string;
  /** Longest wait for a task to end, in ms (default 120 000). */
  taskTimeoutMs?: number;
  /** Time limit of one check, in ms (default 180 000). */
  checkTimeoutMs?: number;
  /** Run only checks whose id starts with one of these prefixes. */
  only?: string[];
  /** fetch implementation (default the global one). */
  fetch?: typeof fetch;
  /**
   * Allow a run against the real EggAPI service (`*.eggapi.ai`), which creates billed tasks.
   * Refused without it, and refused in CI (`CI` set) whatever it says.
   */
  allowProduction?: boolean;
}

/** Thrown before anything is sent when a run would hit the real service without permission. */
export class ProductionRefusedError extends Error {
  override name = 'ProductionRefusedError';
}

/** Whether `baseUrl` is the real EggAPI service. */
export function isProductionUrl(baseUrl: string): boolean {
  const host = new URL(baseUrl).hostname.toLowerCase();
  return host === 'eggapi.ai' || host.endsWith('.eggapi.ai');
}

/** Throws {@link ProductionRefusedError} unless this run may go to `baseUrl`. */
export function assertTargetAllowed(
  baseUrl: string,
  allowProduction: boolean | undefined,
  env: Record<string, string | undefined> = typeof process === 'undefined' ? {} : process.env,
): void {
  if (!isProductionUrl(baseUrl)) return;
  if (env.CI && env.CI !== 'false' && env.CI !== '0') {
    throw new ProductionRefusedError(
      `refusing to run against the real EggAPI service (${baseUrl}) in CI: point it at a mock server`,
    );
  }
  if (allowProduction !== true) {
    throw new ProductionRefusedError(
      `refusing to run against the real EggAPI service (${baseUrl}): it creates billed tasks; ` +
        'pass --allow-production (allowProduction: true) to run it on request',
    );
  }
}

/** What a check can use: the typed client, raw HTTP, helpers, and the webhook receiver. */
export interface CheckContext {
  options: Required<Pick<ConformanceOptions, 'baseUrl' | 'apiKey' | 'taskTimeoutMs'>> &
    ConformanceOptions;
  client: EggAPI;
  http: RawHttp;
  /** The local receiver, present when a webhook secret was given. */
  receiver: WebhookReceiver | undefined;
  /** Polls a task until it ends, recording every status seen (in order, repeats collapsed). */
  waitForEnd(id: string): Promise<{ task: Task; statuses: string[]; snapshots: Task[] }>;
}

/** One conformance check: an id, a one-line description, and what it does. */
export interface Check {
  id: string;
  description: string;
  /** `webhook` checks run only with a webhook secret. */
  requires?: 'webhook';
  run(ctx: CheckContext): Promise<void>;
}

/** A failed expectation of a check; its message says what was expected and what came back. */
export class CheckFailure extends Error {
  override name = 'CheckFailure';
}

/** Fails the check with `message` unless `condition` holds. */
export function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailure(message);
}

/** Fails unless `actual` equals `expected` (JSON equality), naming `what`. */
export function expectEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new CheckFailure(`${what}: expected ${e}, got ${a}`);
}
