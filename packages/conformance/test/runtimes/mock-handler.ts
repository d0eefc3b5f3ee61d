// The one file to change when `@eggapi/mock-engine` lands (issue #20): the runtime tests need of
// the mock only `createMockHandler(options)` → `{ fetch, close }`, the shape of the package's
// `createFetchHandler(options)`. With the package, everything below becomes this one line:
//
//   export { createFetchHandler as createMockHandler } from '@eggapi/mock-engine';
//
// Until then it builds the engine as `createEggapiHandlers` does (apps/mock-server/src/msw/
// create-handlers.ts) and serves the Fetch API handler of apps/mock-server/src/msw/fetch-handler.ts,
// without MSW: the `@eggapi/mock-server/msw` entry bundles msw, whose browser build does not load
// in workerd ("Failed to create a CookieStore: `localStorage` is not available").
/* eslint-disable @nx/enforce-module-boundaries -- the mock server's internals, until the package exists */
import { UPSTREAM_BASE_URL } from '@eggapi/contracts';
import { signWebhook } from '@eggapi/webhook/web';
import { resolveOptions, type MockServerOptions } from '../../../../apps/mock-server/src/config.js';
import { MockEngine } from '../../../../apps/mock-server/src/engine/engine.js';
import { createFetchSender } from '../../../../apps/mock-server/src/engine/fetch-sender.js';
import { createFetchHandler } from '../../../../apps/mock-server/src/msw/fetch-handler.js';
/* eslint-enable @nx/enforce-module-boundaries */

/** What the runtime tests configure: the options `createEggapiHandlers` takes. */
type MockHandlerOptions = Pick<
  MockServerOptions,
  'apiKey' | 'apiKeys' | 'webhookSecret' | 'timing' | 'seed'
> & { baseUrl?: string };

/**
 * The mock as one Fetch API handler, `Request` → `Response`, and a way to stop it. The engine is
 * built at the first request, not here: workerd refuses random values and timers in a worker's
 * global scope ("Disallowed operation called within global scope"), where
 * `export default { fetch: h.fetch }` creates the handler.
 */
export function createMockHandler(options: MockHandlerOptions = {}) {
  const { baseUrl = UPSTREAM_BASE_URL, ...shared } = options;
  const resolved = resolveOptions({ ...shared, publicBaseUrl: baseUrl });
  const onError = (error: unknown) => console.error('eggapi-mock:', error);
  const sign = async (body: string, secret: string, timestamp?: number) => ({
    ...(await signWebhook(body, secret, timestamp)),
  });
  let closing = false;
  let mock: { engine: MockEngine; handle: (request: Request) => Promise<Response> } | undefined;
  const started = () => {
    if (mock) return mock;
    const engine = new MockEngine(resolved, { sign, sender: createFetchSender(), onError });
    const handle = createFetchHandler(engine, {
      baseUrl,
      maxBodyBytes: resolved.maxBodyBytes,
      validateResponses: resolved.validateResponses,
      closing: () => closing,
      onError,
      corsOrigins: resolved.corsOrigins,
    });
    return (mock = { engine, handle });
  };
  return {
    fetch: (request: Request) => started().handle(request),
    close: async () => {
      closing = true;
      await mock?.engine.shutdown(0);
    },
  };
}
