// Hosts the README's Bun example as written: its `Bun.serve({ fetch: h.fetch })` would take port
// 3000 on every interface, so this (bundled before it) makes that call serve on a free port of
// 127.0.0.1 and tell the harness where (../bundle.ts, ../runtimes.ts).
import { announce } from '../mock-options.js';

type BunServe = (options: {
  port?: number;
  hostname?: string;
  fetch: (request: Request) => Promise<Response>;
}) => { port: number };
declare const Bun: { serve: BunServe };

const serve = Bun.serve.bind(Bun);
Bun.serve = (options) => {
  const server = serve({ ...options, port: 0, hostname: '127.0.0.1' });
  announce(`http://127.0.0.1:${server.port}`);
  return server;
};
