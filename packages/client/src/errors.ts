import type { ApiError, ErrorDetail, Task } from '@eggapi/contracts';
import { retryAfterMs } from './retry.js';

/** What an {@link EggAPIError} knows about the answer that caused it. */
export interface EggAPIErrorInit {
  /** HTTP status of the answer; absent when there was none (connection, abort, task errors). */
  status?: number;
  /** The error envelope's `code` (`VALIDATION_ERROR`, …) when the body carried one. */
  code?: ApiError['code'];
  /** The answer's headers. */
  headers?: Headers;
  /** The envelope's `error` member as sent, unknown fields kept. */
  error?: ApiError;
  /** The underlying error (a fetch `TypeError`, an abort reason). */
  cause?: unknown;
}

/**
 * The base of every error this package throws, so `err instanceof EggAPIError` catches them all.
 * HTTP errors carry the answer's `status`, the envelope's `code` and `details`, the `requestId`
 * (from `X-Request-Id`) and the response `headers`; errors without an answer leave them undefined.
 */
export class EggAPIError extends Error {
  override name = 'EggAPIError';
  /** HTTP status, or `undefined` when no answer came back. */
  readonly status: number | undefined;
  /** The envelope's machine-readable code, e.g. `NOT_FOUND`; `undefined` for non-envelope bodies. */
  readonly code: ApiError['code'] | undefined;
  /** The `X-Request-Id` of the answer: quote it when reporting a problem. */
  readonly requestId: string | undefined;
  /** The answer's headers. */
  readonly headers: Headers | undefined;
  /** Per-field details of the envelope (`[{ path: 'prompt', message }]`), when sent. */
  readonly details: ErrorDetail[] | undefined;
  /** The envelope's `error` member as sent, including fields this version does not know. */
  readonly error: ApiError | undefined;

  constructor(message: string, init: EggAPIErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code ?? init.error?.code;
    this.headers = init.headers;
    this.requestId = init.headers?.get('x-request-id') ?? undefined;
    this.details = init.error?.details;
    this.error = init.error;
  }
}

/** 400 `VALIDATION_ERROR`: the request was rejected; `details` names each offending field. */
export class ValidationError extends EggAPIError {
  override name = 'ValidationError';
  declare readonly status: 400;
  /** Every invalid field with its path (`image_urls.3`) and message; empty when none was sent. */
  declare readonly details: ErrorDetail[];
  constructor(message: string, init: EggAPIErrorInit = {}) {
    super(message, init);
    (this as { details: ErrorDetail[] }).details = init.error?.details ?? [];
  }
}

/** 401 `UNAUTHORIZED`: the API key is missing or invalid. */
export class AuthenticationError extends EggAPIError {
  override name = 'AuthenticationError';
  declare readonly status: 401;
}

/**
 * 403: the base of {@link InsufficientBalanceError}, which every 403 becomes (upstream documents
 * one 403, `INSUFFICIENT_BALANCE`, "also forbidden"). Catch this to handle any refusal.
 */
export class PermissionDeniedError extends EggAPIError {
  override name = 'PermissionDeniedError';
  declare readonly status: 403;
}

/**
 * 403 `INSUFFICIENT_BALANCE`: the balance is too low; top up, then retry. Every 403 is one, whatever
 * its code (upstream's table has this one code for 403, "also forbidden"): check `code`.
 */
export class InsufficientBalanceError extends PermissionDeniedError {
  override name = 'InsufficientBalanceError';
}

/** 404 `NOT_FOUND`: no such task (or other resource) for this key. */
export class NotFoundError extends EggAPIError {
  override name = 'NotFoundError';
  declare readonly status: 404;
}

/**
 * 409 (toolkit extension `IDEMPOTENCY_CONFLICT`): an `Idempotency-Key` was reused with a
 * different body.
 */
export class ConflictError extends EggAPIError {
  override name = 'ConflictError';
  declare readonly status: 409;
}

/** 429 `RATE_LIMITED`: too many requests. `retryAfter` says how long the server asked to wait. */
export class RateLimitError extends EggAPIError {
  override name = 'RateLimitError';
  declare readonly status: 429;
  /** Seconds the server asked to wait (`Retry-After` / `retry-after-ms`), when it said. */
  readonly retryAfter: number | undefined;
  constructor(message: string, init: EggAPIErrorInit = {}) {
    super(message, init);
    const ms = init.headers === undefined ? undefined : retryAfterMs(init.headers);
    this.retryAfter = ms === undefined ? undefined : ms / 1000;
  }
}

/** 500 `INTERNAL_ERROR`. */
export class InternalServerError extends EggAPIError {
  override name = 'InternalServerError';
  declare readonly status: 500;
}

/** 502 `UPSTREAM_ERROR`: the image provider failed (or a proxy answered 502). */
export class UpstreamError extends EggAPIError {
  override name = 'UpstreamError';
  declare readonly status: 502;
}

/** 503: the service is unavailable. */
export class ServiceUnavailableError extends EggAPIError {
  override name = 'ServiceUnavailableError';
  declare readonly status: 503;
}

/**
 * A 2xx answer that is not what the contract says: not JSON, empty, or JSON of the wrong shape.
 * The message says what came back (status, content type, the first bytes or the schema issues).
 */
export class UnexpectedResponseError extends EggAPIError {
  override name = 'UnexpectedResponseError';
}

/** No answer: DNS failure, refused or reset connection, TLS error. `cause` holds the fetch error. */
export class APIConnectionError extends EggAPIError {
  override name = 'APIConnectionError';
  constructor(message = 'Connection error.', init: EggAPIErrorInit = {}) {
    super(message, init);
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

/** `tasks.wait()` / `run()`: the task had not finished after `timeout` milliseconds. */
export class TaskTimeoutError extends EggAPIError {
  override name = 'TaskTimeoutError';
  /** The task waited for. */
  readonly taskId: string;
  /** The wait's time limit in milliseconds. */
  readonly timeout: number;
  /** The task as last seen, if any poll answered. */
  readonly lastTask: Task | undefined;
  constructor(taskId: string, timeout: number, lastTask?: Task) {
    super(
      `Task timed out: ${taskId} did not finish within ${timeout} ms` +
        (lastTask ? ` (last status: ${lastTask.status}).` : '.'),
    );
    this.taskId = taskId;
    this.timeout = timeout;
    this.lastTask = lastTask;
  }
}

type HttpErrorClass = new (message: string, init: EggAPIErrorInit) => EggAPIError;

const BY_STATUS: Readonly<Record<number, HttpErrorClass>> = {
  400: ValidationError,
  401: AuthenticationError,
  // 403's one documented code is INSUFFICIENT_BALANCE ("also forbidden"): every 403 is one.
  403: InsufficientBalanceError,
  404: NotFoundError,
  409: ConflictError,
  429: RateLimitError,
  500: InternalServerError,
  502: UpstreamError,
  503: ServiceUnavailableError,
};

// Codes decide when the status is not one we know (a proxy's 418 with a documented code), or
// name a subclass of the status's class.
const BY_CODE: Readonly<Record<string, HttpErrorClass>> = {
  VALIDATION_ERROR: ValidationError,
  UNAUTHORIZED: AuthenticationError,
  INSUFFICIENT_BALANCE: InsufficientBalanceError,
  NOT_FOUND: NotFoundError,
  IDEMPOTENCY_CONFLICT: ConflictError,
  RATE_LIMITED: RateLimitError,
  INTERNAL_ERROR: InternalServerError,
  UPSTREAM_ERROR: UpstreamError,
  SERVICE_UNAVAILABLE: ServiceUnavailableError,
};

/**
 * The one place that turns an error answer into an error class: by status (refined by the
 * envelope code when that names a subclass), falling back to the code for statuses without a
 * class, and to {@link EggAPIError} itself otherwise.
 *
 * @param error the envelope's `error`, or `undefined` when the body was not an error envelope
 * @param description what came back instead, used as the message when there is no envelope
 */
export function errorFromResponse(
  status: number,
  headers: Headers,
  error: ApiError | undefined,
  description: string,
): EggAPIError {
  const byCode = error ? BY_CODE[error.code] : undefined;
  const byStatus = BY_STATUS[status];
  const Class =
    byStatus === undefined
      ? (byCode ?? EggAPIError)
      : byCode !== undefined && byCode.prototype instanceof byStatus
        ? byCode
        : byStatus;
  const message = error?.message ?? `${status} status code: ${description}`;
  return new Class(message, { status, headers, error });
}
