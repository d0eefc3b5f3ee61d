import { displayHeaderName, MOCK_FAULT_HEADER } from '@eggapi/contracts';
import type { EngineCore } from './core.js';
import { invalidHeader } from './errors.js';
import { headerFaultKey, routeMatches, type FaultRequest } from './faults.js';
import { checkRateLimit } from './rate-limit.js';
import { parseFault, ScenarioSyntaxError, type FaultSpec } from './scenarios.js';

/**
 * The engine's checks of a request before the API answers it: the rate limit, and the faults
 * asked for through the admin API or a request header.
 */
export class RequestGuards {
  constructor(private readonly core: EngineCore) {}

  /** See `MockEngine.checkRateLimit`. */
  async checkRateLimit(client: string, floor: number): Promise<void> {
    const { store, options } = this.core;
    const { rateLimit } = await store.config.get();
    const limit = rateLimit === false ? false : Math.max(rateLimit, floor);
    await checkRateLimit(store.rateLimit, client, limit, options.now());
  }

  /** See `MockEngine.queuedFault`. */
  async queuedFault(request: FaultRequest): Promise<FaultSpec | undefined> {
    const fault = await this.core.store.faults.take((queued) =>
      routeMatches(queued.route, request),
    );
    if (fault) this.core.emit({ type: 'fault.used', kind: fault.kind, remaining: fault.times });
    return fault;
  }

  /** See `MockEngine.headerFault`. */
  async headerFault(request: FaultRequest): Promise<FaultSpec | undefined> {
    const value = request.faultHeader;
    if (value === undefined || value.trim() === '') return undefined;
    let fault: FaultSpec;
    try {
      fault = parseFault(value);
    } catch (error) {
      if (error instanceof ScenarioSyntaxError) {
        throw invalidHeader(displayHeaderName(MOCK_FAULT_HEADER), error.message);
      }
      throw error;
    }
    const count = await this.core.store.faults.countHeader(headerFaultKey(request));
    return count <= fault.times ? fault : undefined;
  }
}
