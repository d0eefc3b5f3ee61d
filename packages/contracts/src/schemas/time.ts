import * as z from 'zod/mini';
import './locale.js';
import { described } from './describe.js';

/**
 * An RFC 3339 timestamp as EggAPI sends it: `Z` or a numeric offset, with or without fractional
 * seconds of any precision (`2026-05-08T10:30:00Z`, `2025-12-25T21:03:47.879577+08:00`).
 */
export const TimestampSchema = described(
  z.iso.datetime({ offset: true }),
  'RFC 3339 date-time; `Z` or a numeric offset, fractional seconds of any precision.',
);

export type Timestamp = z.infer<typeof TimestampSchema>;

/** Unix time in whole seconds, as in webhook payloads and the `X-EggAPI-Timestamp` header. */
export const UnixSecondsSchema = described(
  z.number().check(z.int(), z.nonnegative()),
  'Unix time in seconds.',
);
