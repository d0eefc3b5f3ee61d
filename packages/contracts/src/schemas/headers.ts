import { z } from 'zod';

/** Upstream's published rate limit: 100 requests/second per IP. */
export const UPSTREAM_RATE_LIMIT_PER_SECOND = 100;

/** `Bearer <key>`, case-insensitive scheme, any spacing; the key is the first capture. */
export const BEARER_PATTERN = /^Bearer\s+(\S+)\s*$/i;

/** The key of an `Authorization: Bearer <key>` value, or `undefined` when it is not one. */
export function bearerToken(header: string | undefined): string | undefined {
  return header === undefined ? undefined : BEARER_PATTERN.exec(header)?.[1];
}

/** `Authorization: Bearer <key>`, required on every call. */
export const AuthorizationHeaderSchema = z
  .string()
  .regex(BEARER_PATTERN, { error: 'Authorization must be "Bearer <api key>"' })
  .describe('Bearer <api key>');

/**
 * The `Idempotency-Key` request header of `POST /v1/generate` (lower-case, as Node and ts-rest
 * name headers). The same key with the same body gets the first answer again; with another body,
 * 409. Upstream does not document it; the toolkit's client sends it and the mock honours it.
 */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** 1–255 visible ASCII characters (what fits a header unchanged), e.g. a UUID. */
export const IdempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, { error: 'must be 1–255 visible ASCII characters' })
  .describe(
    'Makes the create safe to retry: the same key with the same body answers the first answer ' +
      'again (`Idempotent-Replayed: true`), with another body 409 `IDEMPOTENCY_CONFLICT`. ' +
      '1–255 visible ASCII characters, e.g. a UUID; retries of one request reuse it.',
  );
