import { existsSync, readdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { taskFixture } from '@eggapi/contracts/testing';
import type { Task } from '@eggapi/contracts';

/** A 1×1 PNG (a real one: signature, IHDR, IDAT, IEND). */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** Handles one request; `url` is the server's own base URL (for links to itself). */
export type Route = (req: IncomingMessage, res: ServerResponse, url: string) => void;

/** A server on 127.0.0.1, port 0, that answers `METHOD /path` with its route (404 otherwise). */
export interface HostileServer {
  /** Base URL, no trailing slash. */
  url: string;
  /** Every request seen, as `METHOD /path`, in order. */
  requests: string[];
  /** Replaces or adds the route of `METHOD /path`. */
  on(route: string, handler: Route): void;
  /** Closes the server and every connection it still holds (a stalled body included). */
  close(): Promise<void>;
}

/**
 * An HTTP server a test controls completely, to play a misbehaving API or image host: it can
 * answer any JSON, stall, trickle or never end a body. Requests are recorded; bodies drained.
 */
export async function startHostileServer(
  routes: Record<string, Route> = {},
): Promise<HostileServer> {
  const table = new Map(Object.entries(routes));
  const requests: string[] = [];
  let url = '';
  const server = createServer((req, res) => {
    const key = `${req.method} ${new URL(req.url!, url).pathname}`;
    requests.push(key);
    req.resume();
    const route = table.get(key);
    if (route) route(req, res, url);
    else res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`no route ${key}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    on: (route, handler) => void table.set(route, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Answers the API's JSON envelope `{ data, error: null }` with `data`. */
export function json(data: unknown, status = 200): Route {
  return (_req, res) =>
    void res
      .writeHead(status, { 'Content-Type': 'application/json' })
      .end(JSON.stringify({ data, error: null }));
}

/** A task as the API answers it (the contract's fixture), with `overrides`. */
export function task(overrides: Partial<Task>): Task {
  return taskFixture(overrides);
}

/** A completed task whose `output.urls` are `paths` on the server itself (`{url}` replaced). */
export function completedTask(id: string, urls: string[]): Task {
  return taskFixture({ id, status: 'completed', output: { url: urls[0]!, urls } });
}

/**
 * Routes of an API whose task `gen_ok` is created pending (`POST /v1/generate`) and polled
 * (`GET /v1/tasks/gen_ok`) as `polled(url)`, `url` being the server's base URL.
 */
export function apiRoutes(polled: (url: string) => unknown, created: unknown = undefined) {
  return {
    'POST /v1/generate': ((req, res, url) =>
      json(created ?? task({ id: 'gen_ok', status: 'pending' }), 201)(req, res, url)) as Route,
    'GET /v1/tasks/gen_ok': ((req, res, url) => json(polled(url))(req, res, url)) as Route,
  };
}

/**
 * Writes `chunk` for ever, as fast as the client reads, until the connection closes: an endless
 * body. The status and headers are sent first.
 */
export function endless(chunk: Buffer, headers: Record<string, string> = {}, status = 200): Route {
  return (_req, res) => {
    res.writeHead(status, { 'Content-Type': 'image/png', ...headers });
    let open = true;
    res.on('close', () => (open = false));
    const pump = () => {
      while (open && res.write(chunk));
      if (open) res.once('drain', pump);
    };
    pump();
  };
}

/** Sends headers and `first`, then nothing more, never ending: a stalled body. */
export function stall(first: Buffer, headers: Record<string, string> = {}): Route {
  return (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'image/png', ...headers });
    res.write(first);
  };
}

/** Every file under `dir`, recursively, as paths relative to it, sorted; `[]` if it is missing. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}
