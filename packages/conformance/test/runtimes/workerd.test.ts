import { available, serveWorker } from './runtimes.js';
import { describeServedMock } from './served-mock.js';

// workerd, through Miniflare, runs the mock engine README's worker example (`export default { fetch }`)
// as a module worker and serves it on a port of 127.0.0.1.
describeServedMock('workerd', async () => {
  const what = 'the `miniflare` package (a devDependency of @eggapi/conformance)';
  const miniflare = available(await import('miniflare').catch(() => undefined), 'workerd', what);
  return miniflare && serveWorker(miniflare.Miniflare);
});
