// Hosts the README's Deno example as written: its `Deno.serve(h.fetch)` would take port 8000 on
// every interface, so this (bundled before it) makes that call serve on a free port of
// 127.0.0.1 and tell the harness where (../bundle.ts, ../runtimes.ts).
import { announce } from '../mock-options.js';

interface DenoServe {
  (
    options: { port: number; hostname: string; onListen(address: { port: number }): void },
    handler: (request: Request) => Promise<Response>,
  ): unknown;
  (handler: (request: Request) => Promise<Response>): unknown;
}
declare const Deno: { serve: DenoServe };

const serve: DenoServe = Deno.serve.bind(Deno);
Deno.serve = ((handler: (request: Request) => Promise<Response>) =>
  serve(
    {
      port: 0,
      hostname: '127.0.0.1',
      onListen: ({ port }) => announce(`http://127.0.0.1:${port}`),
    },
    handler,
  )) as DenoServe;
