import type { contract } from '@eggapi/contracts';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER } from '@eggapi/contracts';
import type { MockEngine } from '../engine/engine.js';
import { SCENARIO_HEADER } from '../engine/scenarios.js';
import type { Routes } from './types.js';

/**
 * The `/v1` API, implemented once against the contract for every transport: each route is one
 * engine call. A handler whose answer does not type-check against `contract` does not compile.
 */
export function v1Routes(engine: MockEngine): Routes<typeof contract> {
  return {
    generate: async ({ body }, request) => {
      const { task, replayed } = await engine.createTask({
        apiKey: request.apiKey,
        request: body,
        scenario: request.header(SCENARIO_HEADER),
        idempotencyKey: request.header(IDEMPOTENCY_KEY_HEADER),
        baseUrl: request.base,
      });
      return {
        status: 202,
        body: { data: task, error: null },
        ...(replayed && { headers: { [IDEMPOTENT_REPLAYED_HEADER]: 'true' } }),
      };
    },
    getTask: async ({ params }, request) => ({
      status: 200,
      body: { data: await engine.getTask(request.apiKey, params.id, request.base), error: null },
    }),
    listTasks: async ({ query }, request) => ({
      status: 200,
      body: { data: await engine.listTasks(request.apiKey, query, request.base), error: null },
    }),
    listUsage: async ({ query }, request) => ({
      status: 200,
      body: { data: await engine.listUsage(request.apiKey, query), error: null },
    }),
  };
}
