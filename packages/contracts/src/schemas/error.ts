import * as z from 'zod/mini';
import './locale.js';
import { described } from './describe.js';
import { extensibleEnum } from './extensible-enum.js';
import { tolerantObject } from './tolerant.js';

/**
 * The documented error codes and the HTTP status each one is answered with.
 * Upstream documents a bare 503 without a code; servers in this toolkit answer it as
 * `SERVICE_UNAVAILABLE`, and readers must accept any code there.
 */
export const ERROR_CODE_STATUS = {
  VALIDATION_ERROR: 400,
  UNAUTHORIZED: 401,
  INSUFFICIENT_BALANCE: 403,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  UPSTREAM_ERROR: 502,
} as const;

/** A documented error code (`VALIDATION_ERROR` … `UPSTREAM_ERROR`). */
export type ErrorCode = keyof typeof ERROR_CODE_STATUS;

/** Every documented error code, in the order of the upstream table. */
export const ERROR_CODES = Object.keys(ERROR_CODE_STATUS) as ErrorCode[];

/** The status upstream answers when the service is unavailable; it documents no code for it. */
export const SERVICE_UNAVAILABLE_STATUS = 503;

/**
 * Codes this toolkit's servers use beyond the upstream table, only where upstream has no code
 * at all: the 503 it documents without one, and a reused idempotency key (upstream has no
 * idempotency). Everything else, a wrong method, content type or body size included, answers
 * with a documented code.
 */
export const EXTENSION_ERROR_CODE_STATUS = {
  SERVICE_UNAVAILABLE: 503,
  IDEMPOTENCY_CONFLICT: 409,
} as const;

export type ExtensionErrorCode = keyof typeof EXTENSION_ERROR_CODE_STATUS;

/** The codes this toolkit's servers add to the upstream table (`SERVICE_UNAVAILABLE`, …). */
export const EXTENSION_ERROR_CODES = Object.keys(
  EXTENSION_ERROR_CODE_STATUS,
) as ExtensionErrorCode[];

/** Every code a server of this toolkit answers with: the documented ones and the extensions. */
export type AnyErrorCode = ErrorCode | ExtensionErrorCode;

/** The error code a documented HTTP status stands for, or `undefined` when upstream names none. */
export function errorCodeForStatus(status: number): ErrorCode | undefined {
  return ERROR_CODES.find((code) => ERROR_CODE_STATUS[code] === status);
}

/** A documented error code, strictly (for servers and tests; readers use {@link ApiErrorSchema}). */
export const ErrorCodeSchema = z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]);

/** One invalid field of a rejected request: its path (`image_urls.3`) and what is wrong with it. */
export const ErrorDetailSchema = tolerantObject({
  path: described(z.string(), 'Dotted path of the offending field; empty for the body itself.'),
  message: z.string(),
});

export type ErrorDetail = z.infer<typeof ErrorDetailSchema>;

/**
 * The `error` member of the error envelope. Tolerant on read: any string code (a newer server may
 * add codes), optional field details, unknown members kept.
 */
export const ApiErrorSchema = tolerantObject({
  code: extensibleEnum(
    [...ERROR_CODES, ...EXTENSION_ERROR_CODES] as [AnyErrorCode, ...AnyErrorCode[]],
    'The error code. Newer servers may add codes: read an unknown one by its HTTP status.',
  ),
  message: z.string(),
  details: z.optional(z.array(ErrorDetailSchema)),
});

export type ApiError = z.infer<typeof ApiErrorSchema>;
