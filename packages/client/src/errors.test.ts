import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clientFor } from '../test/support/client.js';
import {
  fail,
  ok,
  startScriptServer,
  type Reply,
  type ScriptServer,
} from '../test/support/script-server.js';
import { errorClassFor } from './error-from-response.js';
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  EggAPIError,
  InvalidArgumentError,
  TaskTimeoutError,
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
async function errorFor(reply: Reply): Promise<APIError> {
  server.on(TASK, () => reply);
  const error: unknown = await clientFor(server, { maxRetries: 0 })
    .tasks.get('gen_1')
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(APIError);
  return error as APIError;
}

describe('error answers', () => {
  it.each(
    (
      [
        [400, 'VALIDATION_ERROR', ValidationError],
        [401, 'UNAUTHORIZED', AuthenticationError],
        [403, 'INSUFFICIENT_BALANCE', InsufficientBalanceError],
        [403, 'FORBIDDEN', PermissionDeniedError],
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
    expect(error).toBeInstanceOf(APIError);
    expect(error.constructor).toBe(Class);
    expect(error).toMatchObject({
      name: Class.name,
      status,
      code,
      message: `the ${code} message`,
      requestId: 'req_42',
      body: { data: null, error: { code, message: `the ${code} message` } },
    });
    expect(error.headers.get('content-type')).toBe('application/json');
  });

  it('a 403 without an envelope is a PermissionDeniedError, not an InsufficientBalanceError', async () => {
    const error = await errorFor({ status: 403, body: 'Forbidden' });
    expect(error.constructor).toBe(PermissionDeniedError);
    expect(error.body).toBe('Forbidden');
  });

  it('ValidationError carries the field details', async () => {
    const details = [
      { path: 'prompt', message: 'prompt must not be empty' },
      { path: 'num_outputs', message: 'num_outputs must be between 1 and 4' },
    ];
    const error = await errorFor(fail(400, 'VALIDATION_ERROR', 'invalid request', { details }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toBeInstanceOf(BadRequestError);
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

  it('never lets a code pick a class its status contradicts: a 418 VALIDATION_ERROR is a plain APIError', async () => {
    const error = await errorFor(fail(418, 'VALIDATION_ERROR', 'teapot'));
    expect(error.constructor).toBe(APIError);
    expect(error).not.toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ status: 418, code: 'VALIDATION_ERROR', message: 'teapot' });
  });

  it('an unknown status with an unknown code is a plain APIError', async () => {
    const error = await errorFor(fail(405, 'METHOD_NOT_ALLOWED', 'no'));
    expect(error.constructor).toBe(APIError);
    expect(error).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED', message: 'no' });
  });
});

describe('errorClassFor: the status decides, the code only refines within it', () => {
  const CODES = [
    undefined,
    'VALIDATION_ERROR',
    'UNAUTHORIZED',
    'INSUFFICIENT_BALANCE',
    'NOT_FOUND',
    'IDEMPOTENCY_CONFLICT',
    'RATE_LIMITED',
    'INTERNAL_ERROR',
    'UPSTREAM_ERROR',
    'SERVICE_UNAVAILABLE',
    'SOMETHING_NEW',
  ];
  // The class of each status whatever the code (403 + INSUFFICIENT_BALANCE apart, below).
  const BY_STATUS: [number, new (...args: never[]) => APIError][] = [
    [300, APIError],
    [302, APIError],
    [400, ValidationError],
    [401, AuthenticationError],
    [402, APIError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [405, APIError],
    [409, ConflictError],
    [418, APIError],
    [422, APIError],
    [429, RateLimitError],
    [500, InternalServerError],
    [501, InternalServerError],
    [502, UpstreamError],
    [503, ServiceUnavailableError],
    [504, InternalServerError],
    [599, InternalServerError],
  ];
  const table = BY_STATUS.flatMap(([status, Class]) =>
    CODES.map((code) => {
      const expected =
        status === 403 && code === 'INSUFFICIENT_BALANCE' ? InsufficientBalanceError : Class;
      return [status, code ?? '(no code)', expected.name, code, expected] as const;
    }),
  );

  it.each(table)('%i %s → %s', (status, _label, _name, code, expected) => {
    const Class = errorClassFor(status, code);
    expect(Class).toBe(expected);
    const error = new Class('m', { status, headers: new Headers() });
    expect(error.status).toBe(status);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toBeInstanceOf(EggAPIError);
  });

  it('puts 502 and 503 under InternalServerError, InsufficientBalanceError under PermissionDeniedError', () => {
    const headers = new Headers();
    expect(new UpstreamError('m', { status: 502, headers })).toBeInstanceOf(InternalServerError);
    expect(new ServiceUnavailableError('m', { status: 503, headers })).toBeInstanceOf(
      InternalServerError,
    );
    expect(new InsufficientBalanceError('m', { status: 403, headers })).toBeInstanceOf(
      PermissionDeniedError,
    );
  });

  it('keeps the errors without an answer apart from APIError', () => {
    expect(new APITimeoutError(5)).toBeInstanceOf(APIConnectionError);
    for (const error of [
      new APIConnectionError(),
      new APITimeoutError(5),
      new APIUserAbortError(),
      new TaskTimeoutError('gen_1', 5),
      new InvalidArgumentError('id', 'bad'),
    ]) {
      expect(error).toBeInstanceOf(EggAPIError);
      expect(error).not.toBeInstanceOf(APIError);
    }
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
