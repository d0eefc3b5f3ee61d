import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { app, closeMock } from './entries/hono.js';
import { describeServedMock } from './served-mock.js';

// The Hono app of entries/hono.ts (`app.all('*', (c) => h.fetch(c.req.raw))`) on Node, in this
// process, served by @hono/node-server on port 0 (with this process's own Request and Response).
describeServedMock('Hono on Node', async () => {
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
    async stop() {
      await closeMock();
      await new Promise((resolve) => server.close(resolve));
    },
  };
});
