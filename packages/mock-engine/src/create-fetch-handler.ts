import { UPSTREAM_BASE_URL } from '@eggapi/contracts';
import { mockControls, type MockControls } from './controls.js';
import { createEngine } from './create-engine.js';
import type { MockEngine } from './engine/engine.js';
import type { EngineDeps, ShutdownReport } from './engine/types.js';
import { fetchTransport } from './fetch/transport.js';
import { parseOptions, MockEngineOptionsSchema, type MockEngineOptions } from './options.js';

/** Options of `createFetchHandler`: the engine's (see `MockEngineOptions`), and these. */
export type FetchHandlerOptions = MockEngineOptions & {
  /**
   * Where the handler answers: `{baseUrl}/v1/…` and the image links `{baseUrl}/images/…`.
   * Default: any origin, each request's own as the base of its image links (as the Node server
   * does); the MSW handlers default to `https://api.eggapi.ai`, the real service's.
   */
  baseUrl?: string;
  /**
   * Where failures nobody waits for go (a listener that throws, a bug answered 500). Default:
   * `console.error`.
   */
  onError?: (error: unknown) => void;
  /** Ports to replace (a store, a scheduler, a renderer, a webhook sender); defaults are portable. */
  deps?: Partial<Omit<EngineDeps, 'onError'>>;
};

/**
 * The mock as one Fetch API handler, with its engine and test controls. Its `advance(ms)` and
 * `tick()` (see `MockControls`) move the one clock `now` reads: with the default `real` clock a
 * step adds to `now()` (or to `Date.now()`, and so to fake timers: `vi.advanceTimersByTime` then
 * `tick()` works as before); with `clock: 'virtual'` time moves only so.
 */
export interface FetchHandler extends MockControls {
  /**
   * Answers one request as the Node server would: `Deno.serve(h.fetch)`, `Bun.serve({ fetch:
   * h.fetch })`, `export default { fetch: h.fetch }` in a worker. Bound: pass it around freely.
   */
  fetch: (request: Request) => Promise<Response>;
  engine: MockEngine;
  /** The given `baseUrl` (no trailing slash), else upstream's: the base the test controls use. */
  baseUrl: string;
  /** The first configured API key (default `sk_test_eggapi`). */
  apiKey: string;
  apiKeys: string[];
  /**
   * Stops the engine at once (planned task ends and webhook attempts are dropped) and reports
   * what was left; the handler then answers 503 SERVICE_UNAVAILABLE.
   */
  close(): Promise<ShutdownReport>;
}

/**
 * The stateful EggAPI mock as a Fetch API handler (`Request` → `Response`) on any runtime: the
 * same engine and answers as the Node server (lifecycle, errors, pagination, usage,
 * idempotency, scenarios, faults, signed webhooks sent with `fetch`), no port, no Node.
 *
 * @throws TypeError naming a bad or unknown option
 */
export function createFetchHandler(options: FetchHandlerOptions = {}): FetchHandler {
  return buildFetchHandler(options, 'mock');
}

/** `createFetchHandler`, its errors naming `what` was given bad options. */
export function buildFetchHandler(options: FetchHandlerOptions, what: string): FetchHandler {
  const { baseUrl: givenBase, onError = defaultOnError, deps = {}, ...engineOptions } = options;
  const fixedBase = givenBase === undefined ? undefined : checkedBase(givenBase, what);
  const baseUrl = fixedBase ?? UPSTREAM_BASE_URL;
  const resolved = parseOptions(
    MockEngineOptionsSchema,
    {
      ...engineOptions,
      publicBaseUrl: engineOptions.publicBaseUrl ?? engineOptions.publicUrl ?? fixedBase,
    },
    what,
  );
  let closed: Promise<ShutdownReport> | undefined;
  // Built at first use, never here: a Worker runtime (workerd) refuses random values and timers
  // in its global scope, where `export default { fetch: h.fetch }` creates the handler.
  let built: { engine: MockEngine; fetch: FetchHandler['fetch']; controls: MockControls };
  const mock = () => {
    if (built) return built;
    const engine = createEngine(resolved, { ...deps, onError });
    const fetch = fetchTransport(engine, {
      baseUrl: fixedBase,
      maxBodyBytes: resolved.maxBodyBytes,
      validateResponses: resolved.validateResponses,
      closing: () => closed !== undefined,
      onError,
      corsOrigins: resolved.corsOrigins,
      adminToken: resolved.adminToken,
      publicBaseUrl: resolved.publicBaseUrl,
    });
    return (built = { engine, fetch, controls: mockControls(engine, baseUrl) });
  };
  return {
    fetch: (request) => mock().fetch(request),
    get engine() {
      return mock().engine;
    },
    baseUrl,
    apiKey: resolved.apiKeys[0]!,
    apiKeys: [...resolved.apiKeys],
    deliveries: (taskId) => mock().controls.deliveries(taskId),
    waitForDeliveries: (taskId, predicate, timeoutMs) =>
      mock().controls.waitForDeliveries(taskId, predicate, timeoutMs),
    completeTask: (id) => mock().controls.completeTask(id),
    failTask: (id, message) => mock().controls.failTask(id, message),
    setTiming: (timing) => mock().controls.setTiming(timing),
    configure: (patch) => mock().controls.configure(patch),
    injectFault: (fault) => mock().controls.injectFault(fault),
    reset: () => mock().controls.reset(),
    advance: (ms) => mock().controls.advance(ms),
    tick: () => mock().controls.tick(),
    clock: () => mock().controls.clock(),
    requests: (filter) => mock().controls.requests(filter),
    clearRequests: () => mock().controls.clearRequests(),
    expectRequest: (matcher, options) => mock().controls.expectRequest(matcher, options),
    close: () => (closed ??= built ? built.engine.shutdown(0) : Promise.resolve(NOTHING_LEFT)),
  };
}

const NOTHING_LEFT: ShutdownReport = { unendedTasks: [], undeliveredWebhooks: [] };

/** An absolute http(s) URL without a trailing slash, query or fragment. */
function checkedBase(value: string, what: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) {
    throw new TypeError(
      `invalid ${what} options: baseUrl: must be an absolute http(s) URL without query or fragment, got ${JSON.stringify(value)}`,
    );
  }
  return url.href.replace(/\/+$/, '');
}

function defaultOnError(error: unknown): void {
  console.error('eggapi-mock:', error);
}
