import { bytesToHex } from '@noble/hashes/utils.js';
import { EngineError } from '../engine/errors.js';

const SAFE_ID = /^[\w.:-]{1,128}$/;

/**
 * A source of `X-Request-Id`s: the caller's when it is a sane token, else a new one. Ids are
 * unique, not secret: a random per-instance prefix and a counter, cheap on the hot path.
 */
export function requestIds(): (incoming: string | string[] | undefined) => string {
  const prefix = bytesToHex(crypto.getRandomValues(new Uint8Array(6)));
  let counter = 0;
  return (incoming) =>
    typeof incoming === 'string' && SAFE_ID.test(incoming)
      ? incoming
      : `req_${prefix}${(++counter).toString(16).padStart(12, '0')}`;
}

/** 503 for a request that arrives while the mock shuts down. */
export const shuttingDown = () =>
  new EngineError('SERVICE_UNAVAILABLE', 'the server is shutting down', undefined, 1);
