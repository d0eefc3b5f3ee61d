import {
  ErrorEnvelopeSchema,
  isTaskId,
  TaskEnvelopeSchema,
  TaskPageEnvelopeSchema,
  UsagePageEnvelopeSchema,
} from '@eggapi/contracts';
import { describe, expect, it } from 'vitest';
import { call, createTask, mockServer, validRequest } from './support/harness.js';

describe('POST /v1/generate', () => {
  it('answers 202 with the pending task in the envelope, as the spec example', async () => {
    const server = await mockServer();
    const answer = await call(server, 'POST', '/v1/generate', {
      body: { ...validRequest, aspect_ratio: '16:9', num_outputs: 1 },
    });
    expect(answer.status).toBe(202);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    const { data, error } = TaskEnvelopeSchema.parse(answer.body);
    expect(error).toBeNull();
    expect(data).toEqual({
      id: expect.stringMatching(/^gen_[a-z0-9]{12}$/),
      status: 'pending',
      model: 'nanobanana',
      type: 'image_generate',
      cost: '$0.00',
      created_at: expect.any(String),
    });
    expect(isTaskId(data.id), 'an id the client accepts').toBe(true);
    expect(Object.keys(answer.body.data)).toEqual([
      'id',
      'status',
      'model',
      'type',
      'cost',
      'created_at',
    ]);
  });

  it('types a task with image_urls as image_edit', async () => {
    const server = await mockServer();
    const answer = await call(server, 'POST', '/v1/generate', {
      body: { ...validRequest, image_urls: ['https://example.com/a.png'] },
    });
    expect(answer.body.data.type).toBe('image_edit');
  });

  it.each([
    [{ model: 'nanobanana' }, 'prompt'],
    [{ ...validRequest, prompt: '' }, 'prompt'],
    [{ ...validRequest, prompt: 'x'.repeat(2001) }, 'prompt'],
    [{ ...validRequest, negative_prompt: 'x'.repeat(1001) }, 'negative_prompt'],
    [{ ...validRequest, model: 'other' }, 'model'],
    [{ ...validRequest, aspect_ratio: '4:3' }, 'aspect_ratio'],
    [{ ...validRequest, num_outputs: 5 }, 'num_outputs'],
    [{ ...validRequest, resolution: '8k' }, 'resolution'],
    [{ ...validRequest, image_urls: Array(10).fill('https://a.example/x.png') }, 'image_urls'],
    [{ ...validRequest, webhook_url: 'http://example.com/hook' }, 'webhook_url'],
    [{ ...validRequest, extra: true }, 'extra'],
  ])('rejects %j with 400 VALIDATION_ERROR naming "%s"', async (body, field) => {
    const server = await mockServer();
    const answer = await call(server, 'POST', '/v1/generate', { body });
    expect(answer.status).toBe(400);
    const envelope = ErrorEnvelopeSchema.parse(answer.body);
    expect(envelope.data).toBeNull();
    expect(envelope.error.code).toBe('VALIDATION_ERROR');
    expect(envelope.error.details?.map((d) => d.path)).toContain(field);
    if (field) expect(envelope.error.message).toContain(field);
  });

  it.each([
    ['malformed JSON', '{"model": "nanobanana", ', 'application/json', 400, 'VALIDATION_ERROR'],
    ['a JSON string', '"hello"', 'application/json', 400, 'VALIDATION_ERROR'],
    ['a JSON array', '[1,2]', 'application/json', 400, 'VALIDATION_ERROR'],
    ['text/plain', 'prompt=x', 'text/plain', 400, 'VALIDATION_ERROR'],
    ['form data', 'model=nanobanana', 'application/x-www-form-urlencoded', 400, 'VALIDATION_ERROR'],
  ])('answers %s with an envelope (%i %s)', async (_name, body, type, status, code) => {
    const server = await mockServer();
    const answer = await call(server, 'POST', '/v1/generate', {
      body,
      headers: { 'content-type': type },
    });
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ data: null, error: expect.objectContaining({ code }) });
  });

  it.each([
    ['null', 'request body must be a JSON object'],
    ['"hello"', 'request body must be a JSON object'],
    ['{"model": ', 'request body is not valid JSON'],
  ])('says whether a body of %s is JSON at all', async (body, message) => {
    const server = await mockServer();
    const answer = await call(server, 'POST', '/v1/generate', { body });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toBe(message);
  });

  it('names the Content-Type header when the body is not JSON', async () => {
    const server = await mockServer();
    const answer = await call(server, 'POST', '/v1/generate', {
      body: 'prompt=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(answer.body.error.message).toMatch(/Content-Type/);
    expect(answer.body.error.details).toEqual([
      { path: 'headers.content-type', message: 'must be application/json' },
    ]);
  });

  it('names an unknown body member in the details', async () => {
    const server = await mockServer();
    const answer = await call(server, 'POST', '/v1/generate', {
      body: { ...validRequest, extra: 1, seed: 2 },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details).toEqual([
      { path: 'extra', message: 'unknown field' },
      { path: 'seed', message: 'unknown field' },
    ]);
    expect(answer.body.error.message).toBe('extra: unknown field; seed: unknown field');
  });

  it('answers an oversized body with a 400 VALIDATION_ERROR envelope and keeps serving', async () => {
    const server = await mockServer({ maxBodyBytes: 1024 });
    const answer = await call(server, 'POST', '/v1/generate', {
      body: { ...validRequest, prompt: 'x'.repeat(5000) },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      data: null,
      error: expect.objectContaining({
        code: 'VALIDATION_ERROR',
        message: 'request body exceeds the limit of 1024 bytes',
      }),
    });
    expect((await call(server, 'POST', '/v1/generate', { body: validRequest })).status).toBe(202);
  });
});

describe('authentication', () => {
  it.each([
    ['no Authorization header', null, undefined],
    ['an unknown key', 'sk_wrong', undefined],
    ['a malformed header', null, 'Token sk_test_eggapi'],
  ])('answers 401 UNAUTHORIZED for %s on every /v1 route', async (_name, auth, header) => {
    const server = await mockServer();
    for (const [method, path] of [
      ['POST', '/v1/generate'],
      ['GET', '/v1/tasks/gen_x'],
      ['GET', '/v1/tasks'],
      ['GET', '/v1/usage'],
    ] as const) {
      const answer = await call(server, method, path, {
        auth,
        headers: header ? { authorization: header } : {},
        ...(method === 'POST' ? { body: validRequest } : {}),
      });
      expect(answer.status, `${method} ${path}`).toBe(401);
      expect(answer.body.error.code).toBe('UNAUTHORIZED');
    }
  });

  it('accepts any configured key, and a key sees only its own tasks (404 for another key’s)', async () => {
    const server = await mockServer({ apiKeys: ['sk_a', 'sk_b'] });
    const id = await createTask({ ...server, apiKey: 'sk_a' });
    expect((await call({ url: server.url, apiKey: 'sk_a' }, 'GET', `/v1/tasks/${id}`)).status).toBe(
      200,
    );
    const other = await call({ url: server.url, apiKey: 'sk_b' }, 'GET', `/v1/tasks/${id}`);
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('NOT_FOUND');
    const list = await call({ url: server.url, apiKey: 'sk_b' }, 'GET', '/v1/tasks');
    expect(list.body.data.pagination.total).toBe(0);
  });
});

describe('GET /v1/tasks/:id', () => {
  it('answers 404 NOT_FOUND for an unknown id', async () => {
    const server = await mockServer();
    const answer = await call(server, 'GET', '/v1/tasks/gen_doesnotexist');
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({
      data: null,
      error: { code: 'NOT_FOUND', message: 'task gen_doesnotexist not found' },
    });
  });

  it('shows a completed task as the spec example: output, cost, lifecycle times', async () => {
    const server = await mockServer({ timing: 'instant' });
    const id = await createTask(server, { ...validRequest, num_outputs: 2 });
    const answer = await call(server, 'GET', `/v1/tasks/${id}`);
    const task = TaskEnvelopeSchema.parse(answer.body).data;
    expect(task.status).toBe('completed');
    expect(task.cost).toBe('$0.0200');
    expect(task.output).toEqual({
      url: `${server.url}/images/${id}/0.png`,
      urls: [`${server.url}/images/${id}/0.png`, `${server.url}/images/${id}/1.png`],
    });
    expect(Date.parse(task.started_at!)).toBeGreaterThanOrEqual(Date.parse(task.created_at));
    expect(Date.parse(task.completed_at!)).toBeGreaterThanOrEqual(Date.parse(task.started_at!));
    expect(task).not.toHaveProperty('error');
  });
});

describe('lists', () => {
  it('pages tasks newest first with totals, and validates page and per_page', async () => {
    const server = await mockServer();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(await createTask(server, { ...validRequest, prompt: `p${i}` }));
    const first = await call(server, 'GET', '/v1/tasks?page=1&per_page=2');
    const page = TaskPageEnvelopeSchema.parse(first.body).data;
    expect(page.items.map((t) => t.id)).toEqual([ids[4], ids[3]]);
    expect(page.pagination).toEqual({ page: 1, per_page: 2, total: 5, total_pages: 3 });
    const last = await call(server, 'GET', '/v1/tasks?page=3&per_page=2');
    expect(last.body.data.items.map((t: { id: string }) => t.id)).toEqual([ids[0]]);
    const defaults = await call(server, 'GET', '/v1/tasks');
    expect(defaults.body.data.pagination).toMatchObject({ page: 1, per_page: 20 });
    for (const bad of ['per_page=101', 'per_page=0', 'page=0', 'page=x']) {
      const answer = await call(server, 'GET', `/v1/tasks?${bad}`);
      expect(answer.status, bad).toBe(400);
      expect(answer.body.error.code).toBe('VALIDATION_ERROR');
      expect(answer.body.error.message).toContain(bad.split('=')[0]);
    }
    expect((await call(server, 'GET', '/v1/tasks?per_page=100')).status).toBe(200);
  });

  it('records one usage entry per billed task, none for failed ones', async () => {
    const server = await mockServer();
    const done = await createTask(server, { ...validRequest, num_outputs: 3 });
    await createTask(server, validRequest, { 'x-eggapi-mock-scenario': 'fail' });
    const answer = await call(server, 'GET', '/v1/usage');
    const usage = UsagePageEnvelopeSchema.parse(answer.body).data;
    expect(usage.items).toEqual([
      expect.objectContaining({
        id: `usage_${done.replace(/^gen_/, '')}`,
        task_id: done,
        quantity: 3,
        cost: '$0.0300',
        type: 'image_generate',
      }),
    ]);
    expect(usage.pagination.total).toBe(1);
  });
});

describe('every answer', () => {
  it('carries an X-Request-Id, echoing a sane incoming one', async () => {
    const server = await mockServer();
    const fresh = await call(server, 'GET', '/v1/tasks');
    expect(fresh.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{24}$/);
    const echoed = await call(server, 'GET', '/v1/tasks', {
      headers: { 'x-request-id': 'trace-42' },
    });
    expect(echoed.headers.get('x-request-id')).toBe('trace-42');
    const error = await call(server, 'GET', '/nope');
    expect(error.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('is a 404 envelope for unknown routes, and for unknown methods (with Allow)', async () => {
    const server = await mockServer();
    const unknown = await call(server, 'GET', '/v2/whatever', { auth: null });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    const method = await call(server, 'DELETE', '/v1/tasks');
    expect(method.status).toBe(404);
    expect(method.headers.get('allow')).toBe('GET, HEAD');
    expect(method.body).toEqual({
      data: null,
      error: { code: 'NOT_FOUND', message: 'no route for DELETE /v1/tasks; it takes GET, HEAD' },
    });
    const put = await call(server, 'PUT', '/v1/generate', { body: validRequest });
    expect(put.status).toBe(404);
    expect(put.headers.get('allow')).toBe('POST');
  });
});

describe('discoverability and auth challenges', () => {
  it('answers GET / with where the docs, the console, the OpenAPI document and the API are', async () => {
    const server = await mockServer();
    const answer = await call(server, 'GET', '/', { auth: null });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({
      name: 'EggAPI mock server',
      docs: `${server.url}/docs`,
      console: `${server.url}/console/`,
      openapi: `${server.url}/openapi.json`,
      api: `${server.url}/v1`,
      admin: `${server.url}/__admin`,
    });
  });

  it('sends WWW-Authenticate: Bearer with every 401', async () => {
    const server = await mockServer({ adminToken: 'admin-token' });
    for (const path of ['/v1/tasks', '/__admin/health']) {
      const answer = await call(server, 'GET', path, { auth: 'wrong' });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    }
  });
});
