import { IDEMPOTENCY_KEY_HEADER, MOCK_FAULT_INJECTED_HEADER } from '@eggapi/contracts';
import type { MockEngine } from '../engine/engine.js';
import { faultError, type FaultRequest } from '../engine/faults.js';
import { FAULT_HEADER, type FaultSpec } from '../engine/scenarios.js';
import type { RequestFacts } from './types.js';

/** Thrown by a `reset` fault: the transport drops the request (a network error). */
export class DropConnection extends Error {
  override name = 'DropConnection';
}

/**
 * What every `/v1` request passes, in this order, for every transport: the rate limit, faults
 * queued through the admin API (an upstream 5xx or 429 does not wait for the key check), the API
 * key, and only then the `X-EggAPI-Mock-Fault` header: nobody without a key drives the mock.
 * Resolves with the authenticated owner; a fault throws its error (or `DropConnection`) after
 * `setHeader` named it.
 */
export async function guardV1(
  engine: MockEngine,
  request: RequestFacts,
  setHeader: (name: string, value: string) => void,
): Promise<string> {
  await engine.checkRateLimit(request.client);
  const faultRequest: FaultRequest = {
    method: request.method,
    path: request.path,
    faultHeader: request.header(FAULT_HEADER),
    idempotencyKey: request.header(IDEMPOTENCY_KEY_HEADER),
  };
  inject(await engine.queuedFault(faultRequest), setHeader);
  const apiKey = await engine.authenticate(request.header('authorization'));
  inject(await engine.headerFault({ ...faultRequest, apiKey }), setHeader);
  return apiKey;
}

/** Applies a fault: `reset` drops the connection, the others answer their error. */
function inject(
  fault: FaultSpec | undefined,
  setHeader: (name: string, value: string) => void,
): void {
  if (!fault) return;
  setHeader(MOCK_FAULT_INJECTED_HEADER, fault.kind);
  if (fault.kind === 'reset') throw new DropConnection('reset fault');
  throw faultError(fault);
}
