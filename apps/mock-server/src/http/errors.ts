import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { EngineError } from '@eggapi/mock-engine/host';
import { bodyErrors, httpAnswer, isJson } from '@eggapi/mock-engine/host';
import { pathOf } from './logger.js';

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

/**
 * What the caller did wrong, from the errors express and its body parser raise for a request
 * they cannot read: always a 400 VALIDATION_ERROR (upstream documents no 413 or 415).
 */
function fromRequestReading(error: RequestReadError): EngineError | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      // The parser is strict: valid JSON that is not an object or array (`null`, `"x"`, `5`)
      // fails here too, and is named as what it is.
      return isJson(error.body) ? bodyErrors.notObject() : bodyErrors.notJson();
    case 'entity.too.large':
      return bodyErrors.tooLarge(error.limit ?? '?');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return bodyErrors.unsupportedCharset();
    default:
      break;
  }
  if ((error as { code?: string }).code?.startsWith('Z_')) return bodyErrors.undecodable();
  if (error instanceof URIError || /decode param/i.test(String((error as Error).message))) {
    return bodyErrors.badPath();
  }
  // An aborted or mis-sized body, or anything else express or the body parser refuses: the
  // request is at fault, never the server.
  const status = error.status ?? error.statusCode;
  if (status !== undefined && status >= 400 && status < 500) return bodyErrors.unreadable();
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
    logger.error(
      { err: error, method: req.method, url: pathOf(req.originalUrl) },
      'unhandled error',
    );
    sendError(res, new EngineError('INTERNAL_ERROR', 'internal server error'));
  };
}
