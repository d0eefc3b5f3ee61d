import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clientFor } from '../test/support/client.js';
import {
  fail,
  ok,
  startScriptServer,
  type Reply,
  type ScriptServer,
} from '../test/support/script-server.js';
import {
  AuthenticationError,
  ConflictError,
  EggAPIError,
  InsufficientBalanceError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServiceUnavailableError,
  UnexpectedResponseError,
  UpstreamError,
  ValidationError,
} from './errors.js';

const TASK = 'GET /v1/tasks/gen_1';

let server: ScriptServer;
beforeEach(async () => {
  server = await startScriptServer();
});
afterEach(() => server.close());

/** The error `tasks.get` rejects with when the server answers `reply`, without retries. */
async function errorFor(reply: Reply): Promise<EggAPIError> {
  server.on(TASK, () => reply);
  const error: unknown = await clientFor(server, { maxRetries: 0 })
    .tasks.get('gen_1')
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(EggAPIError);
  return error as EggAPIError;
}

describe('error answers', () => {
  it.each(
    (
      [
        [400, 'VALIDATION_ERROR', ValidationError],
        [401, 'UNAUTHORIZED', AuthenticationError],
        [403, 'INSUFFICIENT_BALANCE', InsufficientBalanceError],
        [403, 'FORBIDDEN', InsufficientBalanceError],
        [404, 'NOT_FOUND', NotFoundError],
        [409, 'IDEMPOTENCY_CONFLICT', ConflictError],
        [429, 'RATE_LIMITED', RateLimitError],
        [500, 'INTERNAL_ERROR', InternalServerError],
        [502, 'UPSTREAM_ERROR', UpstreamError],
        [503, 'SERVICE_UNAVAILABLE', ServiceUnavailableError],
      ] as const
    ).map(([status, code, Class]) => [status, code, Class.name, Class] as const),
  )('%i %s becomes %s', async (status, code, _name, Class) => {
    const error = await errorFor(
      fail(status, code, `the ${code} message`, { headers: { 'x-request-id': 'req_42' } }),
    );
    expect(error).toBeInstanceOf(Class);
    expect(error.constructor).toBe(Class);
    expect(error).toMatchObject({
      name: Class.name,
      status,
      code,
      message: `the ${code} message`,
      requestId: 'req_42',
    });
    expect(error.headers?.get('content-type')).toBe('application/json');
  });

  it('a 403 without an envelope is an InsufficientBalanceError, 403’s one documented meaning', async () => {
    const error = await errorFor({ status: 403, body: 'Forbidden' });
    expect(error.constructor).toBe(InsufficientBalanceError);
    expect(error).toBeInstanceOf(PermissionDeniedError);
  });

  it('ValidationError carries the field details', async () => {
    const details = [
      { path: 'prompt', message: 'prompt must not be empty' },
      { path: 'num_outputs', message: 'num_outputs must be between 1 and 4' },
    ];
    const error = await errorFor(fail(400, 'VALIDATION_ERROR', 'invalid request', { details }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details).toEqual(details);
  });

  it('ValidationError has empty details when the server sent none', async () => {
    const error = await errorFor(fail(400, 'VALIDATION_ERROR', 'invalid request'));
    expect((error as ValidationError).details).toEqual([]);
  });

  it('RateLimitError carries retryAfter in seconds', async () => {
    const error = await errorFor(
      fail(429, 'RATE_LIMITED', 'slow down', { headers: { 'retry-after': '7' } }),
    );
    expect((error as RateLimitError).retryAfter).toBe(7);
  });

  it('keeps envelope fields this version does not know', async () => {
    const error = await errorFor({
      status: 404,
      json: { data: null, error: { code: 'NOT_FOUND', message: 'gone', hint: 'check the id' } },
    });
    expect(error.error).toMatchObject({ hint: 'check the id' });
  });

  it('picks the class by a documented code when the status has none', async () => {
    const error = await errorFor(fail(418, 'RATE_LIMITED', 'teapot'));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.status).toBe(418);
  });

  it('an unknown status with an unknown code is a plain EggAPIError', async () => {
    const error = await errorFor(fail(405, 'METHOD_NOT_ALLOWED', 'no'));
    expect(error.constructor).toBe(EggAPIError);
    expect(error).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED', message: 'no' });
  });
});

describe('answers that are not the contract’s', () => {
  it('an HTML 502 from a proxy is an UpstreamError that says what came back', async () => {
    const html = '<html><body><h1>502 Bad Gateway</h1></body></html>';
    const error = await errorFor({
      status: 502,
      body: html,
      headers: { 'content-type': 'text/html' },
    });
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.code).toBeUndefined();
    expect(error.message).toBe(
      `502 status code: expected a JSON envelope but got text/html (${html.length} characters): ${JSON.stringify(html)}`,
    );
  });

  it('an empty 500 is an InternalServerError that says the body was empty', async () => {
    const error = await errorFor({ status: 500, body: '' });
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.message).toMatch(/empty body/);
  });

  it('a 200 that is not JSON is an UnexpectedResponseError, not a SyntaxError', async () => {
    const error = await errorFor({
      status: 200,
      body: 'x'.repeat(500),
      headers: { 'content-type': 'text/plain' },
    });
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.status).toBe(200);
    expect(error.message).toContain('text/plain (500 characters)');
    expect(error.message).toContain(`"${'x'.repeat(200)}…"`);
  });

  it('a 200 with an empty body is an UnexpectedResponseError', async () => {
    const error = await errorFor({ status: 200, body: '' });
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toMatch(/empty body/);
  });

  it('a 200 whose JSON does not match the contract names the failing fields', async () => {
    const error = await errorFor(ok({ id: 'gen_1', status: 'pending' }));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toMatch(
      /does not match the EggAPI contract \(data\.model: .*data\.cost: /,
    );
  });

  it('a 404 whose JSON is not an error envelope still becomes NotFoundError', async () => {
    const error = await errorFor({ status: 404, json: { message: 'nope' } });
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toMatch(/^404 status code: expected a JSON envelope/);
  });
});
