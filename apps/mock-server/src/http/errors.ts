import type { ErrorDetail, ErrorEnvelope } from '@eggapi/contracts';
import { ERROR_CODE_STATUS, EXTENSION_ERROR_CODE_STATUS } from '@eggapi/contracts';
import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { EngineError, type MockErrorCode } from '../engine/errors.js';

const STATUS: Record<MockErrorCode, number> = {
  ...ERROR_CODE_STATUS,
  ...EXTENSION_ERROR_CODE_STATUS,
  CONFLICT: 409,
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

/** The status, headers and envelope of an engine error. */
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

/** Writes an engine error as its envelope. */
export function sendError(res: Response, error: EngineError): void {
  if (res.headersSent) return;
  const answer = httpAnswer(error);
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.status(answer.status).json(answer.body);
}

interface RequestReadError {
  type?: string;
  /** The raw body, on parse failures. */
  body?: unknown;
  status?: number;
  statusCode?: number;
  limit?: number;
}

function isJson(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const bodyError = (message: string, detail: string) =>
  new EngineError('VALIDATION_ERROR', message, [{ path: '', message: detail }]);

/**
 * What the caller did wrong, from the errors express and its body parser raise for a request
 * they cannot read: always a 400 VALIDATION_ERROR (upstream documents no 413 or 415).
 */
function fromRequestReading(error: RequestReadError): EngineError | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      // The parser is strict: valid JSON that is not an object or array (`null`, `"x"`, `5`)
      // fails here too, and is named as what it is.
      return isJson(error.body)
        ? bodyError('request body must be a JSON object', 'expected an object')
        : bodyError('request body is not valid JSON', 'malformed JSON');
    case 'entity.too.large':
      return bodyError(
        `request body exceeds the limit of ${error.limit ?? '?'} bytes`,
        'body too large',
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return bodyError('request body must be UTF-8 JSON', 'unsupported charset or encoding');
    default:
      break;
  }
  if ((error as { code?: string }).code?.startsWith('Z_')) {
    return bodyError('request body does not match its Content-Encoding', 'cannot decode body');
  }
  if (error instanceof URIError || /decode param/i.test(String((error as Error).message))) {
    return bodyError('the request path is not valid percent-encoding', 'malformed path');
  }
  // An aborted or mis-sized body, or anything else express or the body parser refuses: the
  // request is at fault, never the server.
  const status = error.status ?? error.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return bodyError('the request could not be read', 'malformed request');
  }
  return undefined;
}

/**
 * The one place every failure ends: engine errors and request-reading errors become their
 * envelopes; anything else is logged and answered 500 INTERNAL_ERROR without a stack trace.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (error instanceof EngineError) return sendError(res, error);
    const readError = fromRequestReading(error as RequestReadError);
    if (readError) return sendError(res, readError);
    logger.error({ err: error, method: req.method, url: req.originalUrl }, 'unhandled error');
    sendError(res, new EngineError('INTERNAL_ERROR', 'internal server error'));
  };
}
