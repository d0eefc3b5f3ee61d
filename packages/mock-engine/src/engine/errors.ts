import type { ErrorCode, ErrorDetail, ExtensionErrorCode } from '@eggapi/contracts';

/**
 * An error code of upstream's table, one of the toolkit's two extensions, one of the admin
 * routes' own: `CONFLICT` (409), `FORBIDDEN` (403, a cross-site or non-JSON admin request) and
 * `VERIFICATION_FAILED` (422, a request verification that did not hold), the replay's
 * `NOT_RECORDED` (404, a request that no recorded exchange answers), or one of the validating
 * proxy's (`proxyTo`): `UPSTREAM_BAD_GATEWAY` (502, the upstream could not be reached or its
 * answer was not JSON or too large), `UPSTREAM_TIMEOUT` (504) and `UPSTREAM_CONTRACT_VIOLATION`
 * (502, with `proxyErrors`: the upstream's answer differs from the contract).
 */
export type MockErrorCode =
  | ErrorCode
  | ExtensionErrorCode
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'VERIFICATION_FAILED'
  | 'NOT_RECORDED'
  | ProxyErrorCode;

/** The validating proxy's own error codes, with their statuses. */
export const PROXY_ERROR_CODE_STATUS = {
  UPSTREAM_BAD_GATEWAY: 502,
  UPSTREAM_TIMEOUT: 504,
  UPSTREAM_CONTRACT_VIOLATION: 502,
} as const;
export type ProxyErrorCode = keyof typeof PROXY_ERROR_CODE_STATUS;

/**
 * A rule of the mock said no: an API error with one of the documented codes. Transports render it
 * (HTTP as the `{"data": null, "error": …}` envelope with the code's status).
 */
export class EngineError extends Error {
  override name = 'EngineError';

  constructor(
    readonly code: MockErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    /** Seconds a caller should wait before trying again (429, 503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** `headers.idempotency-key` → `Idempotency-Key`; other paths as they are. */
const label = (path: string) =>
  path.startsWith('headers.')
    ? path.slice(8).replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase())
    : path;

/** A VALIDATION_ERROR whose message names every invalid field (headers by their names). */
export function validationError(details: ErrorDetail[]): EngineError {
  const message = details
    .map((d) =>
      d.path === '' || d.message.startsWith(d.path) ? d.message : `${label(d.path)}: ${d.message}`,
    )
    .join('; ');
  return new EngineError('VALIDATION_ERROR', message || 'invalid request', details);
}

/** A VALIDATION_ERROR for a request header: the message and the detail path name it. */
export function invalidHeader(name: string, message: string): EngineError {
  return new EngineError('VALIDATION_ERROR', `${name}: ${message}`, [
    { path: `headers.${name.toLowerCase()}`, message },
  ]);
}

export const notFound = (message: string) => new EngineError('NOT_FOUND', message);
