import { REQUEST_ID_HEADER, type ApiError, type ErrorDetail, type Task } from '@eggapi/contracts';
import { retryAfterMs } from './retry.js';

/** What an {@link APIError} knows about the answer that caused it. */
export interface APIErrorInit {
  /** HTTP status of the answer (`0` for a browser's opaque redirect). */
  status: number;
  /** The answer's headers. */
  headers: Headers;
  /** The envelope's `error` member as sent, unknown fields kept; absent for other bodies. */
  error?: ApiError;
  /** The body as read: the parsed JSON, else the text; `undefined` when it was not read. */
  body?: unknown;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * @deprecated Use {@link APIErrorInit}; kept so that code naming the 0.1 type still compiles.
 */
export type EggAPIErrorInit = Partial<APIErrorInit>;

/**
 * The base of every error this package throws, so `err instanceof EggAPIError` catches them all.
 * It carries no HTTP details: those are on {@link APIError}, the errors that have an answer.
 */
export class EggAPIError extends Error {
  override name = 'EggAPIError';

  /** @param options.cause the underlying error (a fetch `TypeError`, an abort reason). */
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}

/**
 * An HTTP answer the client does not turn into data: any non-2xx status (a 3xx too: redirects
 * are never followed) or a 2xx it cannot read. The subclass is chosen from the status (see
 * {@link errorFromResponse}); statuses without one (a 405, a proxy's 418, a 302) are a plain
 * `APIError` with that `status`.
 */
export class APIError extends EggAPIError {
  override name = 'APIError';
  /** HTTP status of the answer. */
  readonly status: number;
  /** The envelope's machine-readable code, e.g. `NOT_FOUND`; `undefined` for other bodies. */
  readonly code: ApiError['code'] | undefined;
  /** The `X-Request-Id` of the answer: quote it when reporting a problem. */
  readonly requestId: string | undefined;
  /** The answer's headers (rate-limit headers, `Retry-After`, `Location`…). */
  readonly headers: Headers;
  /** The body as read: the parsed JSON when it was JSON, else the text. */
  readonly body: unknown;
  /** Per-field details of the envelope (`[{ path: 'prompt', message }]`), when sent. */
  readonly details: ErrorDetail[] | undefined;
  /** The envelope's `error` member as sent, including fields this version does not know. */
  readonly error: ApiError | undefined;

  constructor(message: string, init: APIErrorInit) {
    super(message, { cause: init.cause });
    this.status = init.status;
    this.code = init.error?.code;
    this.headers = init.headers;
    this.requestId = init.headers.get(REQUEST_ID_HEADER) ?? undefined;
    this.body = init.body;
    this.details = init.error?.details;
    this.error = init.error;
  }
}

/**
 * 400 (upstream's code `VALIDATION_ERROR`): the request was rejected; `details` names each
 * offending field. Also exported as {@link BadRequestError}, openai-node's name for it.
 */
export class ValidationError extends APIError {
  override name = 'ValidationError';
  declare readonly status: 400;
  /** Every invalid field with its path (`image_urls.3`) and message; empty when none was sent. */
  declare readonly details: ErrorDetail[];
  constructor(message: string, init: APIErrorInit) {
    super(message, init);
    (this as { details: ErrorDetail[] }).details = init.error?.details ?? [];
  }
}

/** Every 400: the same class as {@link ValidationError}, under openai-node's name. */
export const BadRequestError = ValidationError;
/** Every 400: the same class as {@link ValidationError}, under openai-node's name. */
export type BadRequestError = ValidationError;

/** 401 `UNAUTHORIZED`: the API key is missing or invalid. */
export class AuthenticationError extends APIError {
  override name = 'AuthenticationError';
  declare readonly status: 401;
}

/**
 * Every 403: the request was refused. When the code is `INSUFFICIENT_BALANCE` the error is the
 * subclass {@link InsufficientBalanceError}; catch this class to handle any refusal.
 */
export class PermissionDeniedError extends APIError {
  override name = 'PermissionDeniedError';
  declare readonly status: 403;
}

/** 403 with code `INSUFFICIENT_BALANCE`: the balance is too low; top up, then retry. */
export class InsufficientBalanceError extends PermissionDeniedError {
  override name = 'InsufficientBalanceError';
}

/** 404 `NOT_FOUND`: no such task (or other resource) for this key. */
export class NotFoundError extends APIError {
  override name = 'NotFoundError';
  declare readonly status: 404;
}

/**
 * 409 (toolkit extension `IDEMPOTENCY_CONFLICT`): an `Idempotency-Key` was reused with a
 * different body.
 */
export class ConflictError extends APIError {
  override name = 'ConflictError';
  declare readonly status: 409;
}

/** 429 `RATE_LIMITED`: too many requests. `retryAfter` says how long the server asked to wait. */
export class RateLimitError extends APIError {
  override name = 'RateLimitError';
  declare readonly status: 429;
  /** Seconds the server asked to wait (`Retry-After` / `retry-after-ms`), when it said. */
  readonly retryAfter: number | undefined;
  constructor(message: string, init: APIErrorInit) {
    super(message, init);
    const ms = retryAfterMs(init.headers);
    this.retryAfter = ms === undefined ? undefined : ms / 1000;
  }
}

/**
 * Any 5xx (`INTERNAL_ERROR` on a 500; also a 501, a 504…). 502 and 503 have the subclasses
 * {@link UpstreamError} and {@link ServiceUnavailableError}.
 */
export class InternalServerError extends APIError {
  override name = 'InternalServerError';
}

/** 502 `UPSTREAM_ERROR`: the image provider failed (or a proxy answered 502). */
export class UpstreamError extends InternalServerError {
  override name = 'UpstreamError';
  declare readonly status: 502;
}

/** 503: the service is unavailable. */
export class ServiceUnavailableError extends InternalServerError {
  override name = 'ServiceUnavailableError';
  declare readonly status: 503;
}

/**
 * A 2xx answer that is not what the contract says: not JSON, empty, or JSON of the wrong shape.
 * The message says what came back (status, content type, the first bytes or the schema issues).
 */
export class UnexpectedResponseError extends APIError {
  override name = 'UnexpectedResponseError';
}

/**
 * An answer whose body is larger than the client's `maxResponseBytes`: refused from its
 * `Content-Length`, or as soon as the bytes read pass the limit. The body is not kept (`body` is
 * `undefined`); `status` and `headers` are the answer's. Never retried.
 */
export class ResponseTooLargeError extends APIError {
  override name = 'ResponseTooLargeError';
  /** The limit in bytes that the body exceeded. */
  readonly limit: number;
  constructor(limit: number, init: APIErrorInit) {
    super(
      `${init.status} status code: the answer's body is larger than maxResponseBytes (${limit} bytes); it was not read.`,
      init,
    );
    this.limit = limit;
  }
}

/** No answer: DNS failure, refused or reset connection, TLS error. `cause` holds the fetch error. */
export class APIConnectionError extends EggAPIError {
  override name = 'APIConnectionError';
  constructor(message = 'Connection error.', options: { cause?: unknown } = {}) {
    super(message, options);
  }
}

/** No answer within the request's `timeout` (per attempt). */
export class APITimeoutError extends APIConnectionError {
  override name = 'APITimeoutError';
  constructor(timeoutMs: number) {
    super(`Request timed out after ${timeoutMs} ms.`);
  }
}

/** The caller's `signal` aborted the request or the wait. `cause` is the signal's reason. */
export class APIUserAbortError extends EggAPIError {
  override name = 'APIUserAbortError';
  constructor(reason?: unknown) {
    super('Request was aborted.', { cause: reason });
  }
}

/**
 * An argument the client refuses before sending anything, because no request could be right:
 * today a task id that is not a path segment (see `tasks.get`). `argument` names it.
 */
export class InvalidArgumentError extends EggAPIError {
  override name = 'InvalidArgumentError';
  /** The name of the refused argument, e.g. `id`. */
  readonly argument: string;
  constructor(argument: string, message: string) {
    super(message);
    this.argument = argument;
  }
}

/** `tasks.wait()` / `run()`: the task ended `failed`. `task` is the failed task. */
export class TaskFailedError extends EggAPIError {
  override name = 'TaskFailedError';
  /** The failed task, with its `error` message. */
  readonly task: Task;
  constructor(task: Task) {
    // The task's own message, as the spec's polling helper throws it; the id is on `task`.
    super(task.error || 'Task failed');
    this.task = task;
  }
}

/** `tasks.wait()` / `run()`: the task had not finished after `waitTimeout` milliseconds. */
export class TaskTimeoutError extends EggAPIError {
  override name = 'TaskTimeoutError';
  /** The task waited for. */
  readonly taskId: string;
  /** The wait's overall time limit in milliseconds. */
  readonly waitTimeout: number;
  /** The task as last seen, if any poll answered. */
  readonly lastTask: Task | undefined;
  constructor(taskId: string, waitTimeout: number, lastTask?: Task) {
    super(
      `Task timed out: ${taskId} did not finish within ${waitTimeout} ms` +
        (lastTask ? ` (last status: ${lastTask.status}).` : '.'),
    );
    this.taskId = taskId;
    this.waitTimeout = waitTimeout;
    this.lastTask = lastTask;
  }

  /** @deprecated The same as {@link waitTimeout}, its name in 0.1. */
  get timeout(): number {
    return this.waitTimeout;
  }
}
