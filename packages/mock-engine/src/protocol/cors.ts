import {
  displayHeaderName,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  MOCK_FAULT_HEADER,
  MOCK_SCENARIO_HEADER,
  REQUEST_ID_HEADER,
} from '@eggapi/contracts';

/**
 * CORS for the routes browsers under test may call (`/v1`, the images), written once for both
 * transports. `/__admin` never gets these headers: it answers its own pages only (see the HTTP
 * server's same-origin guard).
 *
 * `allowed` is the configured list of origins (`corsOrigins`, `--cors-origin`), normalised by
 * the options; `undefined` means any origin (`*`), the default, since `/v1` needs a key anyway.
 */
export type AllowedOrigins = readonly string[] | undefined;

const EXPOSE_HEADERS = [REQUEST_ID_HEADER, 'Retry-After', IDEMPOTENT_REPLAYED_HEADER].join(', ');

const PREFLIGHT = {
  'Access-Control-Allow-Methods': 'GET, POST, PATCH, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': [
    'Authorization',
    'Content-Type',
    displayHeaderName(IDEMPOTENCY_KEY_HEADER),
    REQUEST_ID_HEADER,
    displayHeaderName(MOCK_SCENARIO_HEADER),
    displayHeaderName(MOCK_FAULT_HEADER),
  ].join(', '),
  'Access-Control-Max-Age': '600',
};

/** The value of `Access-Control-Allow-Origin` for `origin`, or `undefined` to grant nothing. */
function allowOrigin(origin: string | undefined, allowed: AllowedOrigins): string | undefined {
  if (allowed === undefined) return origin === undefined ? undefined : '*';
  return origin !== undefined && allowed.includes(origin) ? origin : undefined;
}

/**
 * The CORS headers of an answer to a request with this `Origin` (none without one, as before:
 * only browsers send it). With a list, an allowed origin is echoed and every answer says
 * `Vary: Origin`, so a shared cache never hands one origin's grant to another.
 */
export function corsHeaders(
  origin: string | undefined,
  allowed: AllowedOrigins,
): Record<string, string> {
  const headers: Record<string, string> = allowed === undefined ? {} : { Vary: 'Origin' };
  const allow = allowOrigin(origin, allowed);
  if (allow === undefined) return headers;
  return {
    ...headers,
    'Access-Control-Allow-Origin': allow,
    'Access-Control-Expose-Headers': EXPOSE_HEADERS,
  };
}

/**
 * The headers of the 204 answer to `OPTIONS` (preflights and plain `OPTIONS` alike): the grant
 * and the methods and headers a browser may use, or only `Vary` for an origin not on the list
 * (the browser then refuses the real request).
 */
export function preflightHeaders(
  origin: string | undefined,
  allowed: AllowedOrigins,
): Record<string, string> {
  const headers = corsHeaders(origin, allowed);
  if (allowed === undefined && origin === undefined) {
    // A plain OPTIONS (no Origin) keeps its permissive answer, as before.
    return { 'Access-Control-Allow-Origin': '*', ...PREFLIGHT };
  }
  return 'Access-Control-Allow-Origin' in headers ? { ...headers, ...PREFLIGHT } : headers;
}
