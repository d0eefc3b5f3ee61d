import { UPSTREAM_RATE_LIMIT_PER_SECOND } from '@eggapi/contracts';
import express, { type Request, type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import type { ResolvedOptions } from '../config.js';
import type { MockEngine } from '@eggapi/mock-engine/host';
import type { FaultInput } from '@eggapi/mock-engine/host';
import { validationError } from '@eggapi/mock-engine/host';
import { detailsOf } from '@eggapi/mock-engine/host';
import type { BrowseQuery } from '@eggapi/mock-engine/host';
import { eventStream } from './events.js';
import { adminAuth } from './middleware/auth.js';
import { sameOriginOnly } from './middleware/same-origin.js';
import { clientIp } from './v1-guards.js';
import { requestBase } from './v1.js';

/** The least the admin bucket allows per second and IP when a rate limit is on (upstream's). */
const ADMIN_RATE_FLOOR = UPSTREAM_RATE_LIMIT_PER_SECOND;

const FailSchema = z.strictObject({ error: z.string().min(1).max(2_000).optional() });

const ok = (data: unknown) => ({ data, error: null });

/** An async admin handler: its answer as `{data, error: null}`, its errors to the handler. */
function answer(
  status: number,
  handle: (req: Request) => Promise<unknown>,
): RequestHandler<Record<string, string>> {
  return (req, res, next) => {
    handle(req).then((data) => res.status(status).json(ok(data)), next);
  };
}

/**
 * Admin routes for tests and the console, outside `/v1` (documented in the README): browse tasks,
 * inspect and redeliver webhooks, reset state, change timing, balances and faults at runtime, end
 * a task now, follow the engine's events. Each is one engine call. Answers the mock's own pages
 * and non-browser clients only (see `sameOriginOnly`), never with CORS headers; counts against
 * the rate limit in a bucket of its own (never below upstream's 100/s, so that the console and a
 * test's controls keep working while the test provokes 429s on `/v1`; health, for probes, does
 * not count); protected by `adminToken`
 * when one is configured.
 */
export function adminRouter(
  engine: MockEngine,
  options: Pick<ResolvedOptions, 'adminToken' | 'publicBaseUrl'>,
): Router {
  const router = express.Router();
  router.use(sameOriginOnly(options.publicBaseUrl));
  router.use((req, res, next) => {
    // The browser's preflight, or a plain OPTIONS, from this server's own pages: nothing to grant.
    if (req.method === 'OPTIONS') return void res.status(204).end();
    // Health is for probes: it must say what it sees (Redis down included), never 429 or 503.
    if (req.path.toLowerCase().replace(/(.)\/$/, '$1') === '/health') return next();
    engine.checkRateLimit(`admin:${clientIp(req)}`, ADMIN_RATE_FLOOR).then(() => next(), next);
  });
  router.use(adminAuth(options.adminToken));
  router.use(express.json({ limit: '64kb' }));

  // 503 while the shared store is unreachable, so load balancers and probes see it.
  router.get('/health', (_req, res, next) => {
    engine.health().then((health) => {
      res.status(health.status === 'ok' ? 200 : 503).json(ok(health));
    }, next);
  });
  router.get(
    '/config',
    answer(200, () => engine.config()),
  );
  router.patch(
    '/config',
    answer(200, (req) => engine.configure(req.body ?? {})),
  );
  router.post(
    '/reset',
    answer(200, async () => {
      await engine.reset();
      return { reset: true };
    }),
  );

  router.get(
    '/faults',
    answer(200, () => engine.faults()),
  );
  router.post(
    '/faults',
    answer(201, (req) => engine.injectFault((req.body ?? {}) as FaultInput)),
  );
  router.delete(
    '/faults',
    answer(200, async () => {
      await engine.clearFaults();
      return [];
    }),
  );

  router.get(
    '/webhooks',
    answer(200, (req) =>
      engine.deliveries({
        task_id: typeof req.query.task_id === 'string' ? req.query.task_id : undefined,
      }),
    ),
  );
  router.get(
    '/webhooks/:id',
    answer(200, (req) => engine.delivery(String(req.params.id))),
  );
  router.post(
    '/webhooks/:id/redeliver',
    answer(202, (req) => engine.redeliver(String(req.params.id))),
  );

  router.get(
    '/tasks',
    answer(200, (req) => engine.browseTasks(req.query as BrowseQuery, requestBase(req))),
  );
  router.get(
    '/keys',
    answer(200, () => Promise.resolve(engine.keyFingerprints())),
  );
  router.get('/events', eventStream(engine));
  router.get(
    '/tasks/:id',
    answer(200, (req) => engine.task(String(req.params.id), requestBase(req))),
  );
  router.post(
    '/tasks/:id/complete',
    answer(200, (req) => engine.endTask(String(req.params.id), {}, requestBase(req))),
  );
  router.post(
    '/tasks/:id/fail',
    answer(200, (req) => {
      const parsed = FailSchema.safeParse(req.body ?? {});
      if (!parsed.success) throw validationError(detailsOf(parsed.error));
      const fail = parsed.data.error ?? 'generation failed: failed by an admin request';
      return engine.endTask(String(req.params.id), { fail }, requestBase(req));
    }),
  );
  return router;
}
