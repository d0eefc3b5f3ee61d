import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { parseCli, CliError } from '../src/cli/options.js';
import { startMockServer, type MockServer } from '../src/index.js';
import { call, createTask, mockServer } from './support/harness.js';

/** What a refused admin request must not have done: the task is still there, the config unchanged. */
async function unchanged(server: MockServer, id: string, config: unknown): Promise<void> {
  expect((await call(server, 'GET', `/v1/tasks/${id}`)).status).toBe(200);
  expect(await server.engine.config()).toEqual(config);
  expect(await server.engine.faults()).toEqual([]);
}

/** A raw request through node:http, so that Host can be anything a browser would send. */
function rawRequest(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('/__admin and other sites’ pages', () => {
  const evil = 'http://evil.example';

  it.each<[string, string, string, Record<string, string>, unknown?]>([
    ['a read with a foreign Origin', 'GET', '/__admin/tasks', { origin: evil }],
    ['a read marked cross-site', 'GET', '/__admin/tasks', { 'sec-fetch-site': 'cross-site' }],
    [
      'a read from another port of this host (same-site)',
      'GET',
      '/__admin/config',
      { 'sec-fetch-site': 'same-site' },
    ],
    ['a read from an opaque origin (Origin: null)', 'GET', '/__admin/keys', { origin: 'null' }],
    [
      'a reset sent as text/plain with a foreign Origin',
      'POST',
      '/__admin/reset',
      { origin: evil, 'content-type': 'text/plain' },
    ],
    [
      'a reset sent as text/plain by a browser that sends no Origin',
      'POST',
      '/__admin/reset',
      { 'content-type': 'text/plain' },
    ],
    [
      'a reset sent as a form',
      'POST',
      '/__admin/reset',
      { 'content-type': 'application/x-www-form-urlencoded' },
    ],
    [
      'a reset sent as multipart',
      'POST',
      '/__admin/reset',
      { 'content-type': 'multipart/form-data; boundary=x' },
    ],
    ['a reset through the path’s other case', 'POST', '/__ADMIN/reset', { 'content-type': '' }],
    [
      'a config PATCH with a JSON body sent as text/plain',
      'PATCH',
      '/__admin/config',
      { 'content-type': 'text/plain' },
      JSON.stringify({ timing: 'realistic' }),
    ],
    [
      'a JSON config PATCH from a foreign origin',
      'PATCH',
      '/__admin/config',
      { origin: evil, 'sec-fetch-site': 'cross-site' },
      { timing: 'realistic' },
    ],
    [
      'a fault queued from a foreign origin',
      'POST',
      '/__admin/faults',
      { origin: evil },
      { kind: '503' },
    ],
    ['a fault queued as text/plain', 'POST', '/__admin/faults', { 'content-type': 'text/plain' }],
    ['clearing faults without a content type', 'DELETE', '/__admin/faults', { 'content-type': '' }],
  ])(
    'refuses %s with 403 FORBIDDEN, no CORS headers, and no effect',
    async (_, method, path, headers, body) => {
      const server = await mockServer();
      const id = await createTask(server);
      const config = await server.engine.config();
      const answer = await call(server, method, path, { auth: null, headers, body });
      expect(answer.status, answer.text).toBe(403);
      expect(answer.body.error.code).toBe('FORBIDDEN');
      expect(answer.body.error.message).toMatch(
        /open the console on this server|needs "Content-Type: application\/json"/,
      );
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
      await unchanged(server, id, config);
    },
  );

  it('says what to do: which header is wrong and what it must be', async () => {
    const server = await mockServer();
    const foreign = await call(server, 'GET', '/__admin/tasks', {
      auth: null,
      headers: { origin: evil },
    });
    expect(foreign.body.error).toEqual({
      code: 'FORBIDDEN',
      message: `cross-origin request refused: /__admin answers only pages of this server, not ${evil}; open the console on this server, or call it from curl, a script or a test`,
      details: [{ path: 'headers.origin', message: "must be this server's own origin" }],
    });
    const plain = await call(server, 'POST', '/__admin/reset', {
      auth: null,
      headers: { 'content-type': 'text/plain' },
    });
    expect(plain.body.error).toEqual({
      code: 'FORBIDDEN',
      message:
        'POST /__admin/reset needs "Content-Type: application/json", even without a body (so that no other site\'s page can send it)',
      details: [{ path: 'headers.content-type', message: 'must be application/json' }],
    });
  });

  it('answers clients that are not browsers, and the mock’s own pages, without CORS headers', async () => {
    const server = await mockServer();
    const own = new URL(server.url).origin;
    for (const headers of [
      {} as Record<string, string>, // curl, scripts, the CLI: no Origin, no Sec-Fetch-Site
      { 'sec-fetch-site': 'none' }, // a URL typed into the address bar
      { 'sec-fetch-site': 'same-origin', origin: own }, // the console's fetch
      { origin: own },
    ]) {
      const read = await call(server, 'GET', '/__admin/tasks', { auth: null, headers });
      expect(read.status, JSON.stringify(headers)).toBe(200);
      expect(read.headers.get('access-control-allow-origin')).toBeNull();
    }
    await createTask(server);
    const reset = await call(server, 'POST', '/__admin/reset', {
      auth: null,
      headers: { 'content-type': 'application/json; charset=utf-8', origin: own },
    });
    expect(reset.status).toBe(200);
    expect((await server.engine.browseTasks({}, server.url)).items).toEqual([]);
    const patched = await call(server, 'PATCH', '/__admin/config', {
      auth: null,
      headers: { 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ timing: 'fast' }),
    });
    expect(patched.status).toBe(200);
  });

  it('compares Origin with the host the request was addressed to, or with publicBaseUrl', async () => {
    const server = await mockServer({ publicBaseUrl: 'https://mock.example.com/base' });
    const target = `${server.url}/__admin/keys`;
    // A browser that reached the mock as localhost sends that Host and that Origin.
    const port = new URL(server.url).port;
    expect(
      (
        await rawRequest(target, {
          host: `localhost:${port}`,
          origin: `http://localhost:${port}`,
        })
      ).status,
    ).toBe(200);
    expect(
      (await rawRequest(target, { host: `localhost:${port}`, origin: 'http://localhost:1' }))
        .status,
    ).toBe(403);
    // Behind a proxy: the public origin is this server's too.
    expect(
      (await rawRequest(target, { host: 'internal:80', origin: 'https://mock.example.com' }))
        .status,
    ).toBe(200);
    expect((await rawRequest(target, { origin: 'https://mock.example.com.evil' })).status).toBe(
      403,
    );
  });

  it('answers a preflight to /__admin without any grant, and refuses a cross-site one', async () => {
    const server = await mockServer();
    const preflight = {
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    };
    const foreign = await call(server, 'OPTIONS', '/__admin/reset', {
      auth: null,
      headers: { ...preflight, origin: evil, 'sec-fetch-site': 'cross-site' },
    });
    expect(foreign.status).toBe(403);
    const own = await call(server, 'OPTIONS', '/__admin/reset', { auth: null });
    expect(own.status).toBe(204);
    for (const answer of [foreign, own]) {
      for (const name of answer.headers.keys()) expect(name).not.toMatch(/^access-control-/);
    }
  });

  it('keeps the admin token check for same-origin requests', async () => {
    const server = await mockServer({ adminToken: 'admin-secret' });
    const own = new URL(server.url).origin;
    expect(
      (await call(server, 'GET', '/__admin/keys', { auth: null, headers: { origin: own } })).status,
    ).toBe(401);
    expect(
      (
        await call(server, 'GET', '/__admin/keys', {
          auth: 'admin-secret',
          headers: { origin: evil },
        })
      ).status,
    ).toBe(403);
  });
});

describe('CORS on /v1 and the images (corsOrigins, --cors-origin)', () => {
  const app = 'http://localhost:5173';

  it('grants any origin by default', async () => {
    const server = await mockServer();
    const answer = await call(server, 'GET', '/v1/tasks', { headers: { origin: 'http://a.test' } });
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(answer.headers.get('vary')).toBeNull();
  });

  it('grants only the listed origins, echoed with Vary: Origin, on /v1, the images and preflights', async () => {
    const server = await mockServer({ corsOrigins: [`${app}/`, 'HTTPS://App.Example:443'] });
    const id = await createTask(server);
    for (const path of ['/v1/tasks', `/images/${id}/0.png`]) {
      const allowed = await call(server, 'GET', path, { headers: { origin: app } });
      expect(allowed.status).toBe(200);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(app);
      expect(allowed.headers.get('vary')).toBe('Origin');
      const canonical = await call(server, 'GET', path, {
        headers: { origin: 'https://app.example' },
      });
      expect(canonical.headers.get('access-control-allow-origin')).toBe('https://app.example');
      const other = await call(server, 'GET', path, {
        headers: { origin: 'http://localhost:5174' },
      });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      expect(other.headers.get('access-control-expose-headers')).toBeNull();
      expect(other.headers.get('vary')).toBe('Origin');
      const none = await call(server, 'GET', path);
      expect(none.headers.get('vary')).toBe('Origin');
    }
    const preflight = (origin: string) =>
      call(server, 'OPTIONS', '/v1/generate', {
        auth: null,
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    const granted = await preflight(app);
    expect(granted.status).toBe(204);
    expect(granted.headers.get('access-control-allow-origin')).toBe(app);
    expect(granted.headers.get('access-control-allow-headers')).toContain('Authorization');
    const refused = await preflight('http://evil.example');
    expect(refused.status).toBe(204);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(refused.headers.get('access-control-allow-headers')).toBeNull();
  });

  it.each([
    ['localhost:5173', 'no scheme'],
    ['http://localhost:5173/app', 'a path'],
    ['http://localhost:5173?x=1', 'a query'],
    ['ftp://files.example', 'another scheme'],
    ['http://user@localhost:5173', 'user info'],
    ['*', 'a wildcard (leave the option out for any origin)'],
    ['', 'nothing'],
  ])('refuses the origin %j (%s), naming the option', async (origin) => {
    await expect(startMockServer({ corsOrigins: [origin] })).rejects.toThrow(
      /corsOrigins\.0: must be an origin such as http:\/\/localhost:5173/,
    );
    expect(() => parseCli(['--cors-origin', origin], {}, false)).toThrow(CliError);
  });

  it('refuses an empty list', async () => {
    await expect(startMockServer({ corsOrigins: [] })).rejects.toThrow(/corsOrigins/);
  });

  it('takes --cors-origin (repeatable) or EGGAPI_CORS_ORIGINS (comma-separated); flags win', () => {
    expect(
      parseCli(['--cors-origin', app, '--cors-origin', 'https://b.example'], {}, false).options
        .corsOrigins,
    ).toEqual([app, 'https://b.example']);
    const env = { EGGAPI_CORS_ORIGINS: ` ${app}, https://b.example ,` };
    expect(parseCli([], env, false).options.corsOrigins).toEqual([app, 'https://b.example']);
    expect(
      parseCli(['--cors-origin', 'https://c.example'], env, false).options.corsOrigins,
    ).toEqual(['https://c.example']);
    expect(parseCli([], {}, false).options.corsOrigins).toBeUndefined();
    expect(() => parseCli(['--cors-origin', 'nope'], {}, false)).toThrow(
      '--cors-origin must be an origin such as http://localhost:5173 (scheme, host and port; no path), got "nope"',
    );
  });
});
