import { UPSTREAM_BASE_URL } from '@eggapi/contracts';
import { signWebhook } from '@eggapi/webhook/web';
import { http, type HttpHandler } from 'msw';
import { resolveOptions, type MockServerOptions } from '../config.js';
import { mockControls, type MockControls } from '../controls.js';
import type { Signer } from '../engine/deliveries.js';
import { MockEngine } from '../engine/engine.js';
import { createFetchSender } from '../engine/fetch-sender.js';
import type { ShutdownReport } from '../engine/types.js';
import { createFetchHandler } from './fetch-handler.js';

/** The options of `startMockServer` that make sense without a port. */
const SHARED_OPTIONS = [
  'apiKey',
  'apiKeys',
  'webhookSecret',
  'timing',
  'seed',
  'maxTasks',
  'balances',
  'rateLimit',
  'corsOrigins',
  'webhooks',
  'maxBodyBytes',
  'validateResponses',
  'now',
] as const;

/** Options of `createEggapiHandlers`; every one is optional. */
export type EggapiHandlersOptions = Pick<MockServerOptions, (typeof SHARED_OPTIONS)[number]> & {
  /**
   * Where the handlers answer: `{baseUrl}/v1/…` and the image links `{baseUrl}/images/…`.
   * Default `https://api.eggapi.ai`, the real service's, so production code runs unchanged.
   */
  baseUrl?: string;
  /**
   * Where failures nobody waits for go (a listener that throws, a bug answered 500). Default:
   * `console.error`.
   */
  onError?: (error: unknown) => void;
};

/** The mock as MSW handlers, with its engine and test controls. */
export interface EggapiHandlers extends MockControls {
  /** Pass them to `setupServer(...)` (msw/node) or `setupWorker(...)` (msw/browser). */
  handlers: HttpHandler[];
  /** Where the handlers answer (no trailing slash). */
  baseUrl: string;
  /** The first configured API key (default `sk_test_eggapi`). */
  apiKey: string;
  apiKeys: string[];
  /** The transport under the handlers, as a Fetch API handler (`Request` → `Response`). */
  handle: (request: Request) => Promise<Response>;
  /**
   * Moves the mock's clock `ms` forward (on top of `now`, or of `Date.now()` and so of fake
   * timers) and applies everything then due: tasks end (usage, refunds), webhook attempts are
   * made and awaited, retries that fall due go out too. Resolves when nothing due is left.
   * With the default clock real time passes too; for exact steps pass `now` (a fixed time, say)
   * or use fake timers. Under fake timers, an attempt to a receiver that never answers waits for
   * its timeout timer.
   */
  advance(ms: number): Promise<void>;
  /** `advance(0)`: applies what is due by the clock now (after `vi.advanceTimersByTime`, say). */
  tick(): Promise<void>;
  /**
   * Stops the engine at once (planned task ends and webhook attempts are dropped) and reports
   * what was left; the handlers then answer 503 SERVICE_UNAVAILABLE.
   */
  close(): Promise<ShutdownReport>;
}

/** Signs deliveries with @eggapi/webhook's Web Crypto signer, exactly as upstream. */
const sign: Signer = async (body, secret, timestamp) => ({
  ...(await signWebhook(body, secret, timestamp)),
});

/**
 * The stateful EggAPI mock inside MSW handlers: the same engine as the HTTP server (lifecycle,
 * errors, pagination, usage, idempotency, scenarios, faults, signed webhooks sent with `fetch`),
 * with no port, in a test process (`setupServer`) or a browser page (`setupWorker`). Nothing it
 * imports is Node-only.
 *
 * @throws TypeError naming a bad or unknown option
 */
export function createEggapiHandlers(options: EggapiHandlersOptions = {}): EggapiHandlers {
  const { baseUrl: givenBase, onError = defaultOnError, ...shared } = options;
  const unknown = Object.keys(shared).filter(
    (name) => !(SHARED_OPTIONS as readonly string[]).includes(name),
  );
  if (unknown.length > 0) {
    throw new TypeError(
      `invalid MSW handler options: ${unknown.join(', ')}: not an option of createEggapiHandlers (it takes ${[...SHARED_OPTIONS, 'baseUrl', 'onError'].join(', ')})`,
    );
  }
  const baseUrl = checkedBase(givenBase ?? UPSTREAM_BASE_URL);
  let offset = 0;
  const clock = shared.now ?? (() => Date.now());
  const resolved = resolveOptions({
    ...shared,
    publicBaseUrl: baseUrl,
    now: () => clock() + offset,
  });
  const engine = new MockEngine(resolved, { sign, sender: createFetchSender(), onError });
  let closed: Promise<ShutdownReport> | undefined;
  const handle = createFetchHandler(engine, {
    baseUrl,
    maxBodyBytes: resolved.maxBodyBytes,
    validateResponses: resolved.validateResponses,
    closing: () => closed !== undefined,
    onError,
    corsOrigins: resolved.corsOrigins,
  });
  const advance = async (ms: number) => {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`advance(ms) takes a finite number of milliseconds ≥ 0, got ${ms}`);
    }
    offset += ms;
    await engine.runDue();
  };
  return {
    handlers: [http.all(`${baseUrl}/*`, ({ request }) => handle(request))],
    baseUrl,
    apiKey: resolved.apiKeys[0]!,
    apiKeys: [...resolved.apiKeys],
    handle,
    ...mockControls(engine, baseUrl),
    advance,
    tick: () => advance(0),
    close: () => (closed ??= engine.shutdown(0)),
  };
}

/** An absolute http(s) URL without a trailing slash, query or fragment. */
function checkedBase(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) {
    throw new TypeError(
      `invalid MSW handler options: baseUrl: must be an absolute http(s) URL without query or fragment, got ${JSON.stringify(value)}`,
    );
  }
  return url.href.replace(/\/+$/, '');
}

function defaultOnError(error: unknown): void {
  console.error('eggapi-mock (msw):', error);
}
