// Deno serves the mock's fetch handler as is (bundled by ../bundle.ts, started by ../runtimes.ts).
import { createMockHandler } from '../mock-handler.js';
import { announce, MOCK_OPTIONS } from '../mock-options.js';

declare const Deno: {
  serve(
    options: { port: number; hostname: string; onListen(address: { port: number }): void },
    handler: (request: Request) => Promise<Response>,
  ): unknown;
};

const h = createMockHandler(MOCK_OPTIONS);
Deno.serve(
  { port: 0, hostname: '127.0.0.1', onListen: ({ port }) => announce(`http://127.0.0.1:${port}`) },
  h.fetch,
);
