import type { ApiError } from '@eggapi/contracts';
import {
  APIError,
  AuthenticationError,
  ConflictError,
  InsufficientBalanceError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServiceUnavailableError,
  UpstreamError,
  ValidationError,
  type APIErrorInit,
} from './errors.js';

type APIErrorClass = new (message: string, init: APIErrorInit) => APIError;

/** The class of each documented status; other statuses are a plain `APIError` (or ≥ 500 below). */
const BY_STATUS: Readonly<Record<number, APIErrorClass>> = {
  400: ValidationError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  429: RateLimitError,
  500: InternalServerError,
  502: UpstreamError,
  503: ServiceUnavailableError,
};

/**
 * Codes that refine a status's class into a subclass of it. Only within that status: a code never
 * picks the class on its own (a 418 saying `VALIDATION_ERROR` is a plain `APIError` with status 418).
 */
const BY_STATUS_AND_CODE: Readonly<Record<number, Readonly<Record<string, APIErrorClass>>>> = {
  403: { INSUFFICIENT_BALANCE: InsufficientBalanceError },
};

/** The class for an error answer: its status's, refined by the code within that status. */
export function errorClassFor(status: number, code: string | undefined): APIErrorClass {
  const refined = code === undefined ? undefined : BY_STATUS_AND_CODE[status]?.[code];
  return refined ?? BY_STATUS[status] ?? (status >= 500 ? InternalServerError : APIError);
}

/**
 * The one place that turns an error answer into an error: the class of {@link errorClassFor},
 * the envelope's message (or a description of what came back), status, headers and body.
 *
 * @param error the envelope's `error`, or `undefined` when the body was not an error envelope
 * @param description what came back instead, used as the message when there is no envelope
 */
export function errorFromResponse(
  status: number,
  headers: Headers,
  error: ApiError | undefined,
  body: unknown,
  description: string,
): APIError {
  const Class = errorClassFor(status, error?.code);
  const message = error?.message ?? `${status} status code: ${description}`;
  return new Class(message, { status, headers, error, body });
}
