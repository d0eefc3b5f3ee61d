import type { ErrorDetail, ErrorEnvelope } from '@eggapi/contracts';
import { ERROR_CODE_STATUS, EXTENSION_ERROR_CODE_STATUS } from '@eggapi/contracts';
import { EngineError, PROXY_ERROR_CODE_STATUS, type MockErrorCode } from '../engine/errors.js';

const STATUS: Record<MockErrorCode, number> = {
  ...ERROR_CODE_STATUS,
  ...EXTENSION_ERROR_CODE_STATUS,
  CONFLICT: 409,
  FORBIDDEN: 403,
  VERIFICATION_FAILED: 422,
  NOT_RECORDED: 404,
  ...PROXY_ERROR_CODE_STATUS,
};

/** An engine error with HTTP-only extras (an `Allow` header on a wrong method). */
export class HttpError extends EngineError {
  constructor(
    code: MockErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
    details?: ErrorDetail[],
  ) {
    super(code, message, details);
  }
}

/** `{"data": null, "error": {"code", "message", "details"?}}`. */
export function errorEnvelope(
  code: string,
  message: string,
  details?: ErrorDetail[],
): ErrorEnvelope {
  return { data: null, error: { code, message, ...(details ? { details } : {}) } };
}

/**
 * The status, headers and envelope of an engine error, as every transport (the express server,
 * the MSW handlers) answers it.
 */
export function httpAnswer(error: EngineError): {
  status: number;
  headers: Record<string, string>;
  body: ErrorEnvelope;
} {
  const headers: Record<string, string> = error instanceof HttpError ? { ...error.headers } : {};
  if (error.retryAfterSeconds !== undefined)
    headers['Retry-After'] = String(error.retryAfterSeconds);
  if (error.code === 'UNAUTHORIZED') headers['WWW-Authenticate'] = 'Bearer';
  return {
    status: STATUS[error.code],
    headers,
    body: errorEnvelope(error.code, error.message, error.details),
  };
}

const bodyError = (message: string, detail: string) =>
  new EngineError('VALIDATION_ERROR', message, [{ path: '', message: detail }]);

/**
 * The 400 VALIDATION_ERRORs of a request body that cannot be read as JSON (upstream documents no
 * 413 or 415), worded alike by every transport.
 */
export const bodyErrors = {
  notJson: () => bodyError('request body is not valid JSON', 'malformed JSON'),
  /** Valid JSON that is not an object or array (`null`, `"x"`, `5`). */
  notObject: () => bodyError('request body must be a JSON object', 'expected an object'),
  tooLarge: (limit: number | string) =>
    bodyError(`request body exceeds the limit of ${limit} bytes`, 'body too large'),
  unsupportedCharset: () =>
    bodyError('request body must be UTF-8 JSON', 'unsupported charset or encoding'),
  undecodable: () =>
    bodyError('request body does not match its Content-Encoding', 'cannot decode body'),
  badPath: () => bodyError('the request path is not valid percent-encoding', 'malformed path'),
  unreadable: () => bodyError('the request could not be read', 'malformed request'),
};

/** Whether `text` parses as JSON. */
export function isJson(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
