import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { ErrorEnvelopeSchema } from '@eggapi/contracts';
import { describe, expect, it } from 'vitest';
import { MAX_DIRECTIVES_LENGTH, parseFault, parseTaskScenario } from '../src/index.js';
import { call, createTask, mockServer, validRequest } from './support/harness.js';
import { rawRequest } from '../../../test-support/raw-http.mjs';

const envelope = (text: string) => ErrorEnvelopeSchema.safeParse(JSON.parse(text)).success;

describe('hostile input: an envelope, fast, every time', () => {
  it('parses a 64 KB directive in linear time and refuses it (header and prompt marker)', () => {
    const huge = `503; times=1${' '.repeat(64 * 1024)}"`;
    const started = performance.now();
    expect(() => parseFault(huge)).toThrow(`longer than ${MAX_DIRECTIVES_LENGTH} characters`);
    // What stalled the server for seconds: a backtracking regex over spaces and a stray quote.
    expect(() => parseTaskScenario(`fail=${' '.repeat(1_000)}"`)).toThrow();
    expect(() => parseFault(`503; times=1${' '.repeat(1_000)}"`)).toThrow();
    // Generous bound: the old parser took seconds on a tenth of this input.
    expect(performance.now() - started).toBeLessThan(250);
  });

  it('answers a huge fault header without a key with 401 before parsing it, and with a key with 400', async () => {
    const server = await mockServer();
    const fault = `503; times=1${' '.repeat(8_000)}"`;
    const anonymous = await call(server, 'GET', '/v1/tasks', {
      auth: null,
      headers: { 'x-eggapi-mock-fault': fault },
    });
    expect(anonymous.status).toBe(401);
    const keyed = await call(server, 'GET', '/v1/tasks', {
      headers: { 'x-eggapi-mock-fault': fault },
    });
    expect(keyed.status).toBe(400);
    expect(keyed.body.error.details).toEqual([
      {
        path: 'headers.x-eggapi-mock-fault',
        message: `longer than ${MAX_DIRECTIVES_LENGTH} characters`,
      },
    ]);
  });

  it('answers a prompt marker of 2,000 spaces and a stray quote with a 400 naming the prompt', async () => {
    const server = await mockServer();
    const answer = await call(server, 'POST', '/v1/generate', {
      body: { ...validRequest, prompt: `[[mock: fail=${' '.repeat(1_970)}"]]` },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details[0].path).toBe('prompt');
  });

  it('does not honour scenario or fault headers of requests without a valid key', async () => {
    const server = await mockServer();
    const answer = await call(server, 'POST', '/v1/generate', {
      auth: 'sk_wrong',
      body: validRequest,
      headers: { 'x-eggapi-mock-fault': '500', 'x-eggapi-mock-scenario': 'fail' },
    });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('x-eggapi-mock-fault-injected')).toBeNull();
  });

  it.each([
    ['/v1/tasks/%ff', 400],
    ['/v1/tasks/%ff?x=1', 400],
    ['/images/%ff/0.png', 400],
    ['/__admin/tasks/%ff', 400],
    ['/__admin/webhooks/%ff', 400],
    ['/v1/%ff', 404],
    ['/%ff', 404],
  ])('answers %s with %i and an envelope, not a 500', async (path, status) => {
    const server = await mockServer();
    const answer = await call(server, 'GET', path);
    expect(answer.status).toBe(status);
    expect(envelope(answer.text), answer.text).toBe(true);
  });

  it('refuses a body that does not match its Content-Encoding with 400, and reads a real gzip body', async () => {
    const server = await mockServer();
    const plain = await call(server, 'POST', '/v1/generate', {
      body: validRequest,
      headers: { 'content-encoding': 'gzip' },
    });
    expect(plain.status).toBe(400);
    expect(plain.body.error.message).toBe('request body does not match its Content-Encoding');
    const response = await fetch(`${server.url}/v1/generate`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${server.apiKey}`,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      body: gzipSync(JSON.stringify(validRequest)),
    });
    expect(response.status).toBe(202);
  });

  it.each([
    [
      'oversized headers',
      `GET /v1/tasks HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    ],
    ['a malformed request line', 'GARBAGE\r\n\r\n'],
    [
      'a malformed Content-Length',
      'POST /v1/generate HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
    ],
  ])('answers %s with a 400 envelope and closes the connection', async (_name, raw) => {
    const server = await mockServer();
    const answer = await rawRequest(server.port, raw);
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(envelope(answer.body), answer.body).toBe(true);
    expect(answer.closed).toBe(true);
    // …and keeps serving.
    expect((await call(server, 'GET', '/v1/tasks')).status).toBe(200);
  });

  it('never answers random paths, query strings and header values with a 5xx or a non-envelope', async () => {
    const server = await mockServer({ validateResponses: false });
    const id = await createTask(server);
    const segment = fc.oneof(
      fc.constantFrom(
        'v1',
        'tasks',
        'usage',
        'generate',
        'images',
        '__admin',
        id,
        '0.png',
        '..',
        '.',
      ),
      fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@-]{0,12}$/),
      fc.constantFrom('%ff', '%00', '%2e%2e', '%2F', '%', '%zz', '%e2%82', '%C0%AF'),
    );
    const path = fc
      .array(segment, { minLength: 1, maxLength: 5 })
      .map((parts) => `/${parts.join('/')}`);
    const query = fc.option(
      fc.array(
        fc.tuple(
          fc.constantFrom('page', 'per_page', 'task_id', 'x', '%ff', ''),
          fc.oneof(fc.integer().map(String), fc.stringMatching(/^[\w%.+-]{0,10}$/)),
        ),
        { maxLength: 3 },
      ),
    );
    const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,80}$/);
    const headers = fc.record(
      {
        authorization: fc.oneof(
          fc.constant(`Bearer ${server.apiKey}`),
          headerValue,
          fc.constant('Bearer'),
        ),
        'x-eggapi-mock-fault': headerValue,
        'x-eggapi-mock-scenario': headerValue,
        'idempotency-key': headerValue,
        'content-type': fc.constantFrom(
          'application/json',
          'text/plain',
          'application/json; charset=bogus',
        ),
      },
      { requiredKeys: [] },
    );
    const method = fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'HEAD');
    await fc.assert(
      fc.asyncProperty(method, path, query, headers, async (verb, p, q, h) => {
        const search = q ? `?${q.map(([k, v]) => `${k}=${v}`).join('&')}` : '';
        const raw =
          `${verb} ${p}${search} HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
          Object.entries(h)
            // A `reset` fault drops the connection by design: there is no answer to check.
            .filter(([name, value]) => name !== 'x-eggapi-mock-fault' || !/^\s*reset/i.test(value))
            .map(([name, value]) => `${name}: ${value}\r\n`)
            .join('') +
          (verb === 'POST' || verb === 'PATCH' ? 'Content-Length: 2\r\n\r\n{}' : '\r\n');
        const answer = await rawRequest(server.port, raw);
        expect(answer.status, raw).toBeLessThan(500);
        if (
          verb === 'HEAD' ||
          answer.status === 204 ||
          answer.headers['content-type'] === 'image/png'
        )
          return;
        if (answer.status >= 400)
          expect(envelope(answer.body), `${raw}\n→ ${answer.body}`).toBe(true);
        else expect(() => JSON.parse(answer.body) as unknown, raw).not.toThrow();
      }),
      { numRuns: 400 },
    );
  }, 60_000);

  it('answers an HTTP/1.1 request without a Host header like any other', async () => {
    const server = await mockServer();
    const answer = await rawRequest(
      server.port,
      `GET /v1/tasks HTTP/1.1\r\nAuthorization: Bearer ${server.apiKey}\r\n\r\n`,
    );
    expect(answer.status).toBe(200);
  });
});
