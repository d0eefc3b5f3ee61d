import * as z from 'zod/mini';
import './locale.js';
import { described } from './describe.js';

/** Upstream's published rate limit: 100 requests/second per IP. */
export const UPSTREAM_RATE_LIMIT_PER_SECOND = 100;

/** `Bearer <key>`, case-insensitive scheme, any spacing; the key is the first capture. */
export const BEARER_PATTERN = /^Bearer\s+(\S+)\s*$/i;

/** The key of an `Authorization: Bearer <key>` value, or `undefined` when it is not one. */
export function bearerToken(header: string | undefined): string | undefined {
  return header === undefined ? undefined : BEARER_PATTERN.exec(header)?.[1];
}

/** `Authorization: Bearer <key>`, required on every call. */
export const AuthorizationHeaderSchema = described(
  z.string().check(z.regex(BEARER_PATTERN, { error: 'Authorization must be "Bearer <api key>"' })),
  'Bearer <api key>',
);

/**
 * The `Idempotency-Key` request header of `POST /v1/generate` (lower-case, as Node and ts-rest
 * name headers). The same key with the same body gets the first answer again; with another body,
 * 409. Upstream does not document it; the toolkit's client sends it and the mock honours it.
 */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** 1–255 visible ASCII characters (what fits a header unchanged), e.g. a UUID. */
export const IdempotencyKeySchema = described(
  z
    .string()
    .check(z.regex(/^[\x21-\x7e]{1,255}$/, { error: 'must be 1–255 visible ASCII characters' })),
  'Makes the create safe to retry: the same key with the same body answers the first answer ' +
    'again (`Idempotent-Replayed: true`), with another body 409 `IDEMPOTENCY_CONFLICT`. ' +
    '1–255 visible ASCII characters, e.g. a UUID; retries of one request reuse it.',
);

// Header names. Request headers are lower-case, as Node and ts-rest name them when they read
// them (`IDEMPOTENCY_KEY_HEADER` above); response headers are written as documentation prints
// them. Names are case-insensitive on the wire; `displayHeaderName` turns one into the other.

/** `X-Request-Id`: this request's id, on every answer; a client may send its own. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/** `Idempotent-Replayed: true` on a `POST /v1/generate` answer that replays the first answer. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/**
 * The mock server's task-scenario request header (`X-EggAPI-Mock-Scenario`), lower-case: on
 * `POST /v1/generate`, e.g. `fail`, `delay=<ms>`, `polls=<n>`. Upstream ignores it.
 */
export const MOCK_SCENARIO_HEADER = 'x-eggapi-mock-scenario';

/**
 * The mock server's fault request header (`X-EggAPI-Mock-Fault`), lower-case: on any `/v1`
 * route, e.g. `503; times=2`, `429; retry-after=1`, `reset`. Upstream ignores it.
 */
export const MOCK_FAULT_HEADER = 'x-eggapi-mock-fault';

/** On an answer the mock made up for a fault: the fault's kind (`429`, `503`, `reset`…). */
export const MOCK_FAULT_INJECTED_HEADER = 'X-EggAPI-Mock-Fault-Injected';

/**
 * A header's name as documentation and error messages print it: `idempotency-key` →
 * `Idempotency-Key`, `x-eggapi-mock-fault` → `X-EggAPI-Mock-Fault`. Each `-`-separated part is
 * capitalised, except that `eggapi` is written `EggAPI`; the rest of a part is kept as given.
 */
export function displayHeaderName(name: string): string {
  return name
    .split('-')
    .map((part) =>
      part.toLowerCase() === 'eggapi' ? 'EggAPI' : part.charAt(0).toUpperCase() + part.slice(1),
    )
    .join('-');
}
