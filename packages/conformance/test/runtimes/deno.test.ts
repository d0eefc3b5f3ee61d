import { available, findRuntime, serveBundled } from './runtimes.js';
import { describeServedMock } from './served-mock.js';

// `deno run` on the README's Deno example (its Deno.serve moved to port 0 by entries/deno.ts), allowed the network of
// 127.0.0.1 (the mock and the kit's webhook receiver) and nothing else.
describeServedMock('Deno', async () => {
  const what = 'the `deno` package (a devDependency of @eggapi/conformance)';
  const deno = available(findRuntime('deno'), 'Deno', what);
  if (!deno) return undefined;
  const net = '--allow-net=127.0.0.1';
  return serveBundled('deno', (bundle) => [deno.path, 'run', net, '--no-prompt', bundle]);
});
