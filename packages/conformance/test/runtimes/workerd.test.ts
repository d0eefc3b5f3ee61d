import { available, serveWorker } from './runtimes.js';
import { describeServedMock } from './served-mock.js';

// workerd, through Miniflare, runs the bundle of entries/worker.ts (`export default { fetch }`)
// as a module worker and serves it on a port of 127.0.0.1.
describeServedMock(
  'workerd',
  async () => {
    const what = 'the `miniflare` package (a devDependency of @eggapi/conformance)';
    const miniflare = available(await import('miniflare').catch(() => undefined), 'workerd', what);
    return miniflare && serveWorker(miniflare.Miniflare);
  },
  {
    // The engine's webhook deliveries share one AbortController, made by the request that built
    // the engine; workerd refuses its use in any other request ("Cannot perform I/O on behalf
    // of a different request"), so every attempt fails. An AbortController per attempt fixes it.
    'webhook.delivery-verified': 'an AbortController shared across requests',
  },
);
