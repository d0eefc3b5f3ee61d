import { describe, expect, it } from 'vitest';
import { checkApiRequest, checkApiResponse, checkWebhookBody, matchRoute } from './index.js';
import { taskCompletedEventFixture, taskFixture } from './testing/index.js';

const auth = { Authorization: 'Bearer sk_test_eggapi' };
const generate = {
  method: 'POST',
  path: '/v1/generate',
  headers: auth,
  body: { model: 'nanobanana', prompt: 'a red fox' },
};
const poll = { method: 'GET', path: '/v1/tasks/gen_abc123def456', headers: auth };

describe('matchRoute', () => {
  it.each([
    ['POST', '/v1/generate', 'generate', {}],
    ['get', '/v1/tasks/gen_abc', 'getTask', { id: 'gen_abc' }],
    ['GET', '/v1/tasks/', 'listTasks', {}],
    ['GET', '/v1/usage', 'listUsage', {}],
  ])('names %s %s', (method, path, name, params) => {
    expect(matchRoute(method, path)).toEqual({ name, params });
  });

  it.each([
    ['GET', '/v1/generate'],
    ['GET', '/v1/tasks/a/b'],
    ['DELETE', '/v1/tasks/gen_abc'],
    ['GET', '/__admin/config'],
  ])('knows no %s %s', (method, path) => {
    expect(matchRoute(method, path)).toBeUndefined();
  });
});

describe('checkApiRequest', () => {
  it('accepts what the contract documents', () => {
    expect(checkApiRequest(generate)).toEqual([]);
    expect(checkApiRequest(poll)).toEqual([]);
    expect(
      checkApiRequest({
        method: 'GET',
        path: '/v1/tasks',
        query: 'page=2&per_page=5',
        headers: auth,
      }),
    ).toEqual([]);
  });

  it('names each difference', () => {
    expect(checkApiRequest({ ...generate, headers: {}, body: { model: 'nanobanana' } })).toEqual([
      { path: 'headers.authorization', message: 'missing' },
      { path: 'body.prompt', message: expect.any(String) },
    ]);
    expect(checkApiRequest({ ...poll, headers: { authorization: 'Basic x' } })[0]).toEqual({
      path: 'headers.authorization',
      message: 'must be "Bearer <api key>"',
    });
    expect(
      checkApiRequest({ method: 'GET', path: '/v1/tasks', query: 'per_page=0', headers: auth }),
    ).toEqual([{ path: 'query.per_page', message: expect.any(String) }]);
    expect(checkApiRequest({ method: 'PUT', path: '/v1/tasks', headers: auth })).toEqual([
      { path: '', message: 'no route PUT /v1/tasks' },
    ]);
  });
});

describe('checkApiResponse', () => {
  const task = taskFixture({ status: 'completed' });

  it('accepts documented answers, errors included', () => {
    expect(checkApiResponse(poll, { status: 200, body: { data: task, error: null } })).toEqual([]);
    expect(
      checkApiResponse(poll, {
        status: 404,
        body: { data: null, error: { code: 'NOT_FOUND', message: 'task not found' } },
      }),
    ).toEqual([]);
    expect(
      checkApiResponse(generate, {
        status: 409,
        body: { data: null, error: { code: 'IDEMPOTENCY_CONFLICT', message: 'reused key' } },
      }),
    ).toEqual([]);
  });

  it('names what a drifting server changed', () => {
    const { cost: _dropped, ...withoutCost } = task;
    expect(
      checkApiResponse(poll, { status: 200, body: { data: withoutCost, error: null } }),
    ).toEqual([{ path: 'body.data.cost', message: expect.any(String) }]);
    expect(
      checkApiResponse(poll, {
        status: 200,
        body: { data: { ...task, status: 'done' }, error: null },
      }),
    ).toEqual([{ path: 'body.data.status', message: 'undocumented status "done"' }]);
    expect(
      checkApiResponse(
        { method: 'GET', path: '/v1/tasks', headers: auth },
        {
          status: 200,
          body: {
            data: {
              items: [task, { ...task, type: 'video' }],
              pagination: { page: 1, per_page: 20, total: 2, total_pages: 1 },
            },
            error: null,
          },
        },
      ),
    ).toEqual([{ path: 'body.data.items.1.type', message: 'undocumented type "video"' }]);
    expect(
      checkApiResponse(poll, {
        status: 404,
        body: { data: null, error: { code: 'GONE_FISHING', message: 'x' } },
      }),
    ).toEqual([{ path: 'body.error.code', message: 'undocumented error code "GONE_FISHING"' }]);
    expect(checkApiResponse(poll, { status: 502, body: undefined })).toEqual([
      { path: 'body', message: 'not JSON' },
    ]);
    expect(checkApiResponse(poll, { status: 418, body: {} })[0]).toEqual({
      path: 'status',
      message: expect.stringMatching(
        /^418 is not an answer of GET \/v1\/tasks\/:id \(documented: .*404/,
      ),
    });
  });
});

describe('checkWebhookBody', () => {
  it('accepts the contract events and names what differs', () => {
    expect(checkWebhookBody(taskCompletedEventFixture())).toEqual([]);
    expect(checkWebhookBody({ ...taskCompletedEventFixture(), event: 'task.done' })).toEqual([
      { path: 'body.event', message: expect.any(String) },
    ]);
  });
});
