import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

/** A Fetch API handler on a free port of 127.0.0.1, as `Deno.serve` or `Bun.serve` would host it. */
export async function serveFetch(
  fetch: (request: Request) => Promise<Response>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    answer(fetch, req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function answer(
  fetch: (request: Request) => Promise<Response>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const body = req.method === 'GET' || req.method === 'HEAD' ? null : Readable.toWeb(req);
  const request = new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url}`, {
    method: req.method,
    headers,
    body: body as ReadableStream<Uint8Array> | null,
    duplex: 'half',
  });
  const response = await fetch(request);
  // `Response.error()`: a network error, as a runtime's server drops the connection.
  if (response.type === 'error') return void res.destroy();
  res.writeHead(response.status, [...response.headers]);
  if (!response.body) return void res.end();
  const stream = Readable.fromWeb(response.body);
  res.once('close', () => stream.destroy());
  stream.pipe(res);
}
