import type { EngineError } from '../engine/errors.js';
import { validationError } from '../engine/errors.js';
import { detailsOf } from '../engine/validation.js';

type Issues = Parameters<typeof detailsOf>[0] | null | undefined;

/**
 * The 400 VALIDATION_ERROR of a request that fails the contract's schemas (as ts-rest's
 * validators report them), naming the body's, the query's, the path's and the headers' problems
 * in that order, whatever the transport.
 */
export function requestValidationError(parts: {
  body?: Issues;
  query?: Issues;
  pathParams?: Issues;
  headers?: Issues;
}): EngineError {
  return validationError([
    ...(parts.body ? detailsOf(parts.body) : []),
    ...(parts.query ? detailsOf(parts.query) : []),
    ...(parts.pathParams ? detailsOf(parts.pathParams) : []),
    ...(parts.headers ? detailsOf(parts.headers, 'headers') : []),
  ]);
}
