import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { base64url } from '../internal/base64url.js';
import * as z from 'zod/mini';
import { EngineError } from './errors.js';
import { FAULT_KINDS, type FaultSpec } from './scenarios.js';

/** A fault queued through the admin API: the next `times` matching requests get it. */
export interface QueuedFault extends FaultSpec {
  /** `METHOD /path`; `*` at the end of the path matches any rest. Absent: every /v1 route. */
  route?: string;
}

/** A fault to queue, as the admin API and test controls take it. */
export const FaultInputSchema = z.strictObject({
  kind: z.enum(FAULT_KINDS),
  route: z.optional(
    z.string().check(
      z.regex(/^(\*|[A-Z]+)\s+\/\S*$/, {
        error: 'route must look like "POST /v1/generate" or "* /v1/*"',
      }),
    ),
  ),
  times: z._default(z.int().check(z.gte(1), z.lte(1_000)), 1),
  retryAfterSeconds: z.optional(z.int().check(z.gte(0), z.lte(3_600))),
});
export type FaultInput = z.input<typeof FaultInputSchema>;

/** What fault injection looks at in a request, whatever carries it. */
export interface FaultRequest {
  method: string;
  /** The full path, e.g. `/v1/tasks/gen_abc`. */
  path: string;
  /** The authenticated API key. */
  apiKey?: string;
  /** The `X-EggAPI-Mock-Fault` header, if sent. */
  faultHeader?: string;
  idempotencyKey?: string;
}

/** The error a caller sees for an injected fault (`reset` drops the connection instead). */
export function faultError(fault: FaultSpec): EngineError {
  switch (fault.kind) {
    case '429':
      return new EngineError(
        'RATE_LIMITED',
        'rate limit exceeded (injected fault)',
        undefined,
        fault.retryAfterSeconds ?? 1,
      );
    case '500':
      return new EngineError('INTERNAL_ERROR', 'internal server error (injected fault)');
    case '502':
      return new EngineError('UPSTREAM_ERROR', 'provider error (injected fault)');
    default:
      return new EngineError(
        'SERVICE_UNAVAILABLE',
        'service unavailable (injected fault)',
        undefined,
        fault.retryAfterSeconds,
      );
  }
}

/** Whether a queued fault's `route` matches a request. */
export function routeMatches(route: string | undefined, request: FaultRequest): boolean {
  if (route === undefined) return true;
  const [method, path = ''] = route.trim().split(/\s+/, 2);
  if (method !== '*' && method?.toUpperCase() !== request.method) return false;
  return path.endsWith('*') ? request.path.startsWith(path.slice(0, -1)) : request.path === path;
}

/**
 * Most request keys whose header-fault uses are counted (`FaultStore.countHeader`), by either
 * store: beyond it the oldest is forgotten, so the counts stay bounded.
 */
export const HEADER_FAULT_COUNTS_KEPT = 10_000;

/**
 * What makes two requests "the same" for a header fault's `times`, as a fixed-size hash (the
 * counts are kept per key: a long path or header costs no more than a short one, and no API key
 * is kept).
 */
export function headerFaultKey(request: FaultRequest): string {
  const same = [
    request.apiKey ?? '',
    request.method,
    request.path,
    request.faultHeader ?? '',
    request.idempotencyKey ?? '',
  ].join('\n');
  return base64url(sha256(utf8ToBytes(same)));
}
