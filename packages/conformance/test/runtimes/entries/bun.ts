// Bun serves the mock's fetch handler as is (bundled by ../bundle.ts, started by ../runtimes.ts).
import { createMockHandler } from '../mock-handler.js';
import { announce, MOCK_OPTIONS } from '../mock-options.js';

declare const Bun: {
  serve(options: {
    port: number;
    hostname: string;
    fetch: (request: Request) => Promise<Response>;
  }): { port: number };
};

const h = createMockHandler(MOCK_OPTIONS);
const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: h.fetch });
announce(`http://127.0.0.1:${server.port}`);
