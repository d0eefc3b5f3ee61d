import { available, findRuntime, serveBundled } from './runtimes.js';
import { describeServedMock } from './served-mock.js';

// `bun` on the README's Bun example (its Bun.serve moved to port 0 by entries/bun.ts).
describeServedMock('Bun', async () => {
  const what = 'the `bun` package (a devDependency of @eggapi/conformance)';
  const bun = available(findRuntime('bun'), 'Bun', what);
  if (!bun) return undefined;
  return serveBundled('bun', (bundle) => [bun.path, bundle]);
});
