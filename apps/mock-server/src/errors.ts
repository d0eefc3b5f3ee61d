import type { ErrorCode, ErrorDetail, ErrorEnvelope, ExtensionErrorCode } from '@eggapi/contracts';
import { ERROR_CODE_STATUS, EXTENSION_ERROR_CODE_STATUS } from '@eggapi/contracts';
import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';

type Code = ErrorCode | ExtensionErrorCode;

const STATUS: Record<Code, number> = { ...ERROR_CODE_STATUS, ...EXTENSION_ERROR_CODE_STATUS };

/** An error that answers as the documented envelope with its code's status. */
export class HttpError extends Error {
  readonly status: number;

  constructor(
    readonly code: Code | (string & {}),
    message: string,
    readonly options: {
      details?: ErrorDetail[];
      headers?: Record<string, string>;
      status?: number;
    } = {},
  ) {
    super(message);
    this.status = options.status ?? STATUS[code as Code] ?? 500;
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

/** Writes an HttpError as its envelope. */
export function sendError(res: Response, error: HttpError): void {
  if (res.headersSent) return;
  for (const [name, value] of Object.entries(error.options.headers ?? {}))
    res.setHeader(name, value);
  res.status(error.status).json(errorEnvelope(error.code, error.message, error.options.details));
}

/** Issues as zod and Standard Schema report them. */
interface IssueList {
  issues: readonly {
    path?: readonly (PropertyKey | { key: PropertyKey })[];
    message: string;
    /** zod's `unrecognized_keys`: the unknown members, which its `path` does not name. */
    keys?: readonly string[];
  }[];
}

/**
 * Field details of a validation error, paths dotted (`image_urls.3`), prefixed for non-body
 * parts. An unknown member is named by its own path (`extra: unknown field`).
 */
export function detailsOf(error: IssueList, prefix = ''): ErrorDetail[] {
  const pathOf = (parts: readonly (PropertyKey | { key: PropertyKey })[]) =>
    [prefix, ...parts.map((p) => String(typeof p === 'object' ? p.key : p))]
      .filter(Boolean)
      .join('.');
  return error.issues.flatMap((issue) =>
    Array.isArray(issue.keys) && issue.keys.length > 0
      ? issue.keys.map((key) => ({
          path: pathOf([...(issue.path ?? []), key]),
          message: 'unknown field',
        }))
      : [{ path: pathOf(issue.path ?? []), message: issue.message }],
  );
}

/** A 400 VALIDATION_ERROR whose message names every invalid field. */
export function validationError(details: ErrorDetail[]): HttpError {
  const message = details
    .map((d) =>
      d.path === '' || d.message.startsWith(d.path) ? d.message : `${d.path}: ${d.message}`,
    )
    .join('; ');
  return new HttpError('VALIDATION_ERROR', message || 'invalid request', { details });
}

/** A 400 VALIDATION_ERROR for a request header: the message and the detail path name it. */
export function invalidHeader(name: string, message: string): HttpError {
  return new HttpError('VALIDATION_ERROR', `${name}: ${message}`, {
    details: [{ path: `headers.${name.toLowerCase()}`, message }],
  });
}

interface BodyParserError {
  type?: string;
  /** The raw body, on parse failures. */
  body?: unknown;
  status?: number;
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

/** The error from express's body parser, as the envelope a client should see. */
function fromBodyParser(error: BodyParserError): HttpError | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      // The parser is strict: valid JSON that is not an object or array (`null`, `"x"`, `5`)
      // fails here too, and is named as what it is.
      return isJson(error.body)
        ? new HttpError('VALIDATION_ERROR', 'request body must be a JSON object', {
            details: [{ path: '', message: 'expected an object' }],
          })
        : new HttpError('VALIDATION_ERROR', 'request body is not valid JSON', {
            details: [{ path: '', message: 'malformed JSON' }],
          });
    // Documented codes only (upstream has no 413 or 415): a 400 that says what is wrong.
    case 'entity.too.large':
      return new HttpError(
        'VALIDATION_ERROR',
        `request body exceeds the limit of ${error.limit ?? '?'} bytes`,
        { details: [{ path: '', message: 'body too large' }] },
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError('VALIDATION_ERROR', 'request body must be UTF-8 JSON', {
        details: [{ path: '', message: 'unsupported charset or encoding' }],
      });
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new HttpError('VALIDATION_ERROR', 'request body could not be read');
    default:
      return undefined;
  }
}

/**
 * The one place every failure ends: HttpErrors and body-parser errors become their envelopes;
 * anything else is logged and answered 500 INTERNAL_ERROR without a stack trace.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (error instanceof HttpError) return sendError(res, error);
    const parsed = fromBodyParser(error as BodyParserError);
    if (parsed) return sendError(res, parsed);
    logger.error({ err: error, method: req.method, url: req.originalUrl }, 'unhandled error');
    sendError(res, new HttpError('INTERNAL_ERROR', 'internal server error'));
  };
}
