import { ReplyError } from 'ioredis';
import { EngineError } from '@eggapi/mock-engine/host';

export const messageOf = (error: unknown) =>
  error instanceof Error ? error.message : String(error);

/**
 * A connection failure as the 503 SERVICE_UNAVAILABLE the API answers; an engine error, or an
 * error Redis itself replied (a bug), stays what it is.
 */
export function unavailableError(error: unknown, what: 'store' | 'queue'): unknown {
  if (error instanceof EngineError || error instanceof ReplyError) return error;
  return new EngineError(
    'SERVICE_UNAVAILABLE',
    `the mock's Redis ${what} is unreachable (${messageOf(error)}); retry shortly`,
    undefined,
    1,
  );
}
