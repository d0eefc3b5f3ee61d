import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, beforeEach, vi } from 'vitest';
import type { AddressInfo } from 'node:net';

/** A request as the server saw it. */
export interface SeenRequest {
  method: string;
  /** Path and query, e.g. `/v1/tasks?page=2&per_page=1`. */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** `performance.now()` when the request (body included) had arrived. */
  at: number;
  /** Resolves when the client closed the connection before a full answer was written. */
  aborted: Promise<void>;
}

/** How to answer one request. */
export type Reply =
  | { status: number; json?: unknown; body?: string | Uint8Array; headers?: Record<string, string> }
  /** Read the whole request, then destroy the socket without answering. */
  | { destroy: true }
  /** Never answer (until the client gives up). */
  | { hang: true }
  /**
   * Write the body in these chunks (chunked, no `Content-Length`), each once the socket takes
   * it, stopping when the client goes away. A generator may be endless.
   */
  | { status: number; chunks: Iterable<string>; headers?: Record<string, string> };

/** A route's script: answers in order; a function answers every request. */
export type Script = Reply[] | ((request: SeenRequest) => Reply);

/** A scripted HTTP server on 127.0.0.1, port 0. */
export interface ScriptServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Every request seen, in order. */
  requests: SeenRequest[];
  /** Requests seen on `"METHOD /path"` (query ignored). */
  seen(route: string): SeenRequest[];
  /** Scripts answers for `"METHOD /path"` (query ignored); replaces any earlier script. */
  on(route: string, script: Script): void;
  close(): Promise<void>;
}

/**
 * Starts a server that answers by script: `server.on('GET /v1/tasks/t1', [{ status: 429,
 * headers: { 'retry-after': '1' }, json }, { status: 200, json }])`. An unscripted request, or
 * one past the end of its script, answers 599 so that a test sees it. Listens on `port` (default
 * 0: any free port).
 */
export async function startScriptServer(port = 0): Promise<ScriptServer> {
  const scripts = new Map<string, Script>();
  const requests: SeenRequest[] = [];

  const answer = (seen: SeenRequest, res: ServerResponse): void => {
    const route = `${seen.method} ${seen.url.split('?')[0]}`;
    const script = scripts.get(route);
    const reply: Reply =
      typeof script === 'function'
        ? script(seen)
        : (script?.shift() ?? { status: 599, json: { unscripted: route } });
    if ('destroy' in reply) return void res.socket?.destroy();
    if ('hang' in reply) return;
    if ('chunks' in reply) return void streamChunks(res, reply);
    const body = reply.json === undefined ? (reply.body ?? '') : JSON.stringify(reply.json);
    const headers = { ...reply.headers };
    if (reply.json !== undefined) headers['content-type'] ??= 'application/json';
    res.writeHead(reply.status, headers).end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const aborted = new Promise<void>((resolve) =>
        res.on('close', () => {
          if (!res.writableFinished) resolve();
        }),
      );
      const seen: SeenRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now(),
        aborted,
      };
      requests.push(seen);
      answer(seen, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    requests,
    seen: (route) => requests.filter((r) => `${r.method} ${r.url.split('?')[0]}` === route),
    on: (route, script) => void scripts.set(route, Array.isArray(script) ? [...script] : script),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function streamChunks(
  res: ServerResponse,
  reply: { status: number; chunks: Iterable<string>; headers?: Record<string, string> },
): void {
  res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
  const chunks = reply.chunks[Symbol.iterator]();
  const pump = (): void => {
    for (;;) {
      if (res.destroyed) return;
      const next = chunks.next();
      if (next.done) return void res.end();
      if (!res.write(next.value)) return void res.once('drain', pump);
    }
  };
  pump();
}

/** `{ data, error: null }` */
export function ok(data: unknown, headers?: Record<string, string>): Reply {
  return { status: 200, json: { data, error: null }, headers };
}

/** `{ data: null, error: { code, message, …extra } }` with the given status. */
export function fail(
  status: number,
  code: string,
  message = code.toLowerCase(),
  extra: { headers?: Record<string, string>; details?: unknown[] } = {},
): Reply {
  const error = { code, message, ...(extra.details ? { details: extra.details } : {}) };
  return { status, json: { data: null, error }, headers: extra.headers };
}

/**
 * A script server for each test of the file: started before it (handed to `use`), closed after it,
 * with spies and mocks restored.
 */
export function scriptServerPerTest(use: (server: ScriptServer) => void): void {
  let current: ScriptServer | undefined;
  beforeEach(async () => {
    current = await startScriptServer();
    use(current);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await current?.close();
  });
}
