// The mock server's per-file hooks: vitest.shared.mjs lists this file in `setupFiles`, which run
// again before every test file. Test files share their worker's module cache (`isolate: false`),
// so the support modules are evaluated once per worker: hooks they registered at import would
// attach to the first file that imported them only. They export their cleanups instead, and this
// file registers them for every test file (before the file's own hooks, so those run first).
import { afterAll, afterEach } from 'vitest';
import { killInstances } from '../redis/support.js';
import { closeProxies } from '../proxy/support.js';
import { closeMockServers, stopRedisServer } from './harness.js';

afterEach(async () => {
  // Instances and proxies before the mock servers they may talk to.
  await killInstances();
  await closeProxies();
  await closeMockServers();
});

afterAll(stopRedisServer);
