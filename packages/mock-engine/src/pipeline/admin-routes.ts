import type { MockEngine } from '../engine/engine.js';
import type { adminContract } from '../admin/contract.js';
import { EVENT_STREAM_HEADERS } from './events.js';
import type { Routes } from './types.js';

const ok = <T>(data: T) => ({ data, error: null });

/** The default message of a task failed through the admin API. */
const ADMIN_FAILURE = 'generation failed: failed by an admin request';

/**
 * The admin API, implemented once against its contract for every transport: each route is one
 * engine call. `events` answers a stream, which each transport sends as it sends bodies.
 */
export function adminRoutes(
  engine: MockEngine,
  events: () => ReadableStream<Uint8Array>,
): Routes<typeof adminContract> {
  return {
    health: async () => {
      const health = await engine.health();
      // 503 while the shared store is unreachable, so load balancers and probes see it.
      return health.status === 'ok'
        ? { status: 200, body: ok(health) }
        : { status: 503, body: ok(health) };
    },
    config: async () => ({ status: 200, body: ok(await engine.config()) }),
    configure: async ({ body }) => ({ status: 200, body: ok(await engine.configure(body)) }),
    reset: async () => {
      await engine.reset();
      return { status: 200, body: ok({ reset: true as const }) };
    },
    faults: async () => ({ status: 200, body: ok(await engine.faults()) }),
    injectFault: async ({ body }) => ({ status: 201, body: ok(await engine.injectFault(body)) }),
    clearFaults: async () => {
      await engine.clearFaults();
      return { status: 200, body: ok([] as []) };
    },
    deliveries: async ({ query }) => ({
      status: 200,
      body: ok(await engine.deliveries({ task_id: query.task_id })),
    }),
    delivery: async ({ params }) => ({ status: 200, body: ok(await engine.delivery(params.id)) }),
    redeliver: async ({ params }) => ({
      status: 202,
      body: ok(await engine.redeliver(params.id)),
    }),
    tasks: async ({ query }, request) => ({
      status: 200,
      body: ok(await engine.browseTasks(query, request.base)),
    }),
    keys: () => Promise.resolve({ status: 200, body: ok(engine.keyFingerprints()) }),
    events: () => Promise.resolve({ status: 200, body: events(), headers: EVENT_STREAM_HEADERS }),
    requests: async ({ query }) => ({ status: 200, body: ok(await engine.requestPage(query)) }),
    clearRequests: async () => {
      await engine.clearRequests();
      return { status: 200, body: ok([] as []) };
    },
    verifyRequests: async ({ body }) => ({
      status: 200,
      body: ok(await engine.verifyRequests(body)),
    }),
    violations: () => Promise.resolve({ status: 200, body: ok(engine.violations()) }),
    task: async ({ params }, request) => ({
      status: 200,
      body: ok(await engine.task(params.id, request.base)),
    }),
    completeTask: async ({ params }, request) => ({
      status: 200,
      body: ok(await engine.endTask(params.id, {}, request.base)),
    }),
    failTask: async ({ params, body }, request) => ({
      status: 200,
      body: ok(
        await engine.endTask(params.id, { fail: body.error ?? ADMIN_FAILURE }, request.base),
      ),
    }),
    webhookEvent: async ({ params }, request) => ({
      status: 200,
      body: ok(await engine.webhookEvent(params.id, request.base)),
    }),
    clock: () => Promise.resolve({ status: 200, body: ok(engine.clock()) }),
    advanceClock: async ({ body }) => ({
      status: 200,
      body: ok(await engine.advanceClock(body.ms)),
    }),
  };
}
