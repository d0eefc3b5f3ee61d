import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { bundleExample } from './bundle.js';
import { describeServedMock } from './served-mock.js';

// The mock engine README's Hono example as written (`app.all('*', (c) => h.fetch(c.req.raw))`,
// `export default app`), on Node, in this process, served by @hono/node-server on port 0 (with
// this process's own Request and Response).
describeServedMock('Hono on Node', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'eggapi-hono-'));
  try {
    const bundle = await bundleExample('hono', dir, 'node');
    const app = ((await import(pathToFileURL(bundle).href)) as { default: Hono }).default;
    const server = serve({
      fetch: app.fetch,
      port: 0,
      hostname: '127.0.0.1',
      overrideGlobalObjects: false,
    });
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      log: () => '',
      stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
