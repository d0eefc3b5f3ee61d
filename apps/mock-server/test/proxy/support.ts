import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startMockServer, type MockServer, type MockServerOptions } from '../../src/index.js';
import { mockServer } from '../support/harness.js';

/** A hand-written upstream: answers each request as `answer` says (drift, HTML, hangs, …). */
export interface FakeUpstream {
  url: string;
  /** Every request it got: method, path with query, headers, body text. */
  requests: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
  close(): Promise<void>;
}

const upstreams: Server[] = [];
const proxies: MockServer[] = [];

/**
 * Closes every proxy `proxyTo` and every upstream `fakeUpstream` started;
 * `../support/per-file-hooks.ts` calls it after each test.
 */
export async function closeProxies(): Promise<void> {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close({ abandon: true })));
  for (const server of upstreams.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
}

export async function fakeUpstream(
  answer: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): Promise<FakeUpstream> {
  const requests: FakeUpstream['requests'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      answer(req, res, body);
    });
  });
  upstreams.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The real service of these tests: another mock server on loopback. */
export function realUpstream(options: MockServerOptions = {}): Promise<MockServer> {
  return mockServer({ timing: 'instant', seed: 'proxy', ...options });
}

/** Log lines (JSON) a proxy wrote, parsed. */
export interface LogLines {
  lines: Record<string, unknown>[];
  write(line: string): void;
}

export function logLines(): LogLines {
  const lines: Record<string, unknown>[] = [];
  return { lines, write: (line) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
}

/** A validating proxy in front of `upstream`, closed after the test. */
export async function proxyTo(
  upstream: { url: string },
  options: MockServerOptions = {},
  logs?: LogLines,
): Promise<MockServer> {
  const proxy = await startMockServer({
    proxyTo: upstream.url,
    ...(logs && { logLevel: 'info', logDestination: logs }),
    ...options,
  });
  proxies.push(proxy);
  return proxy;
}

/** Answers JSON as given, with extra headers. */
export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/** A task as the contract has it, completed (from a real mock, so it stays in step with it). */
export async function completedTask(): Promise<Record<string, any>> {
  const upstream = await realUpstream();
  const headers = {
    authorization: `Bearer ${upstream.apiKey}`,
    'content-type': 'application/json',
  };
  const created = (await (
    await fetch(`${upstream.url}/v1/generate`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: 'nanobanana', prompt: 'A red fox in the snow' }),
    })
  ).json()) as { data: { id: string } };
  const read = (await (
    await fetch(`${upstream.url}/v1/tasks/${created.data.id}`, { headers })
  ).json()) as { data: Record<string, any> };
  if (read.data.status !== 'completed') throw new Error(`not completed: ${JSON.stringify(read)}`);
  return read.data;
}
