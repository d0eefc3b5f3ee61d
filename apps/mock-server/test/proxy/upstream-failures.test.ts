import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { call } from '../support/harness.js';
import { fakeUpstream, proxyTo } from './support.js';

/** A port nothing listens on (taken, then freed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('an upstream that fails', () => {
  it('answering HTML: 502 UPSTREAM_BAD_GATEWAY naming it, and a violation', async () => {
    const upstream = await fakeUpstream((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body>502 Bad Gateway</body></html>');
    });
    const proxy = await proxyTo(upstream);
    const answer = await call(proxy, 'GET', '/v1/tasks');
    expect(answer.status).toBe(502);
    expect(answer.body.data).toBeNull();
    expect(answer.body.error.code).toBe('UPSTREAM_BAD_GATEWAY');
    expect(answer.body.error.message).toBe(`${upstream.url} answered 502 with text/html, not JSON`);
    expect(proxy.engine.violations()).toMatchObject([
      { direction: 'response', status: 502, issues: [{ path: 'body', message: 'not JSON' }] },
    ]);
  });

  it('hanging: 504 UPSTREAM_TIMEOUT after proxyTimeoutMs, never a hang', async () => {
    const upstream = await fakeUpstream(() => {
      // Never answers.
    });
    const proxy = await proxyTo(upstream, { proxyTimeoutMs: 150 });
    const started = performance.now();
    const answer = await call(proxy, 'GET', '/v1/tasks');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(answer.status).toBe(504);
    expect(answer.body.error).toEqual({
      code: 'UPSTREAM_TIMEOUT',
      message: `${upstream.url} did not answer within 150 ms`,
    });
  });

  it('sending headers, then a body that never ends: 504 too', async () => {
    const upstream = await fakeUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":');
    });
    const proxy = await proxyTo(upstream, { proxyTimeoutMs: 150 });
    const answer = await call(proxy, 'GET', '/v1/tasks');
    expect(answer.status).toBe(504);
  });

  it('sending an endless body: 502 once past the cap, without reading it all', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const upstream = await fakeUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('error', () => {});
      pump();
    });
    const proxy = await proxyTo(upstream);
    const answer = await call(proxy, 'GET', '/v1/tasks');
    expect(answer.status).toBe(502);
    expect(answer.body.error).toEqual({
      code: 'UPSTREAM_BAD_GATEWAY',
      message: `${upstream.url} answered more than ${10 * 1024 * 1024} bytes`,
    });
  });

  it('unreachable: 502 UPSTREAM_BAD_GATEWAY naming it', async () => {
    const port = await closedPort();
    const proxy = await proxyTo({ url: `http://127.0.0.1:${port}` });
    const answer = await call(proxy, 'POST', '/v1/generate', {
      body: { model: 'nanobanana', prompt: 'x' },
    });
    expect(answer.status).toBe(502);
    expect(answer.body.error).toEqual({
      code: 'UPSTREAM_BAD_GATEWAY',
      message: `http://127.0.0.1:${port} could not be reached (ECONNREFUSED)`,
    });
  });

  it('dropping the connection mid-answer: 502', async () => {
    const upstream = await fakeUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"data":', () => res.socket?.destroy());
    });
    const proxy = await proxyTo(upstream);
    const answer = await call(proxy, 'GET', '/v1/tasks');
    expect(answer.status).toBe(502);
    expect(answer.body.error.code).toBe('UPSTREAM_BAD_GATEWAY');
  });
});
