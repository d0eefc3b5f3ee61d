import express, { type Router } from 'express';
import { z } from 'zod';
import { RateLimitSchema, TimingSchema, timingOf, WebhookDeliverySchema } from '../config.js';
import { detailsOf, HttpError, validationError } from '../errors.js';
import { adminAuth } from '../middleware/auth.js';
import { FAULT_KINDS } from '../scenarios.js';
import type { MockState } from '../state.js';
import { toTask } from '../store/task-record.js';
import { baseUrlFor } from './v1.js';

export const ADMIN_PREFIX = '/__admin';

const ConfigPatchSchema = z.strictObject({
  timing: TimingSchema.optional(),
  rateLimit: RateLimitSchema.optional(),
  webhooks: WebhookDeliverySchema.partial().optional(),
  balances: z.record(z.string(), z.number().int().nonnegative().nullable()).optional(),
});

const FaultSchema = z.strictObject({
  kind: z.enum(FAULT_KINDS),
  route: z
    .string()
    .regex(/^(\*|[A-Z]+)\s+\/\S*$/, {
      error: 'route must look like "POST /v1/generate" or "* /v1/*"',
    })
    .optional(),
  times: z.number().int().min(1).max(1_000).default(1),
  retryAfterSeconds: z.number().int().min(0).max(3_600).optional(),
});

const FailSchema = z.strictObject({ error: z.string().min(1).max(2_000).optional() });

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw validationError(detailsOf(result.error));
  return result.data;
}

const ok = (data: unknown) => ({ data, error: null });

/**
 * Admin routes for tests, outside `/v1` (documented in the README): inspect and redeliver
 * webhooks, reset state, change timing and faults at runtime, end a task now. Protected by
 * `adminToken` when one is configured.
 */
export function adminRouter(state: MockState): Router {
  const router = express.Router();
  router.use(adminAuth(state.options.adminToken));
  router.use(express.json({ limit: '64kb' }));

  router.get('/health', (_req, res) => {
    res.json(
      ok({ status: 'ok', tasks: state.tasks.size, webhooks_in_flight: state.webhooks.inFlight }),
    );
  });

  router.get('/config', (_req, res) => {
    res.json(ok({ ...state.runtime, balances: Object.fromEntries(state.balances) }));
  });

  router.patch('/config', (req, res) => {
    const patch = parse(ConfigPatchSchema, req.body);
    if (patch.timing !== undefined) state.runtime.timing = timingOf(patch.timing);
    if (patch.rateLimit !== undefined) state.runtime.rateLimit = patch.rateLimit;
    if (patch.webhooks) Object.assign(state.runtime.webhooks, patch.webhooks);
    for (const [key, micros] of Object.entries(patch.balances ?? {})) {
      if (micros === null) state.balances.delete(key);
      else state.balances.set(key, micros);
    }
    res.json(ok({ ...state.runtime, balances: Object.fromEntries(state.balances) }));
  });

  router.post('/reset', (_req, res) => {
    state.reset();
    res.json(ok({ reset: true }));
  });

  router.get('/faults', (_req, res) => {
    res.json(ok(state.faults.queue));
  });
  router.post('/faults', (req, res) => {
    const fault = parse(FaultSchema, req.body);
    state.faults.enqueue(fault);
    res.status(201).json(ok(state.faults.queue));
  });
  router.delete('/faults', (_req, res) => {
    state.faults.clear();
    res.json(ok([]));
  });

  router.get('/webhooks', (req, res) => {
    const taskId = typeof req.query.task_id === 'string' ? req.query.task_id : undefined;
    res.json(ok(state.webhooks.list({ task_id: taskId })));
  });
  router.get('/webhooks/:id', (req, res, next) => {
    const delivery = state.webhooks.get(req.params.id);
    if (!delivery) return next(new HttpError('NOT_FOUND', `delivery ${req.params.id} not found`));
    res.json(ok(delivery));
  });
  router.post('/webhooks/:id/redeliver', (req, res, next) => {
    const delivery = state.webhooks.redeliver(req.params.id);
    if (!delivery) return next(new HttpError('NOT_FOUND', `delivery ${req.params.id} not found`));
    res.status(202).json(ok(delivery));
  });

  router.get('/tasks/:id', (req, res, next) => {
    state.worker.settle();
    const record = state.tasks.get(req.params.id);
    if (!record) return next(new HttpError('NOT_FOUND', `task ${req.params.id} not found`));
    res.json(ok({ ...toTask(record, state.now(), baseUrlFor(state, req)), owner: record.owner }));
  });
  const endTask = (failure: (body: unknown) => string | undefined) =>
    ((req, res, next) => {
      state.worker.settle();
      const record = state.tasks.get(String(req.params.id));
      if (!record)
        return next(new HttpError('NOT_FOUND', `task ${String(req.params.id)} not found`));
      if (!state.worker.endNow(record, failure(req.body))) {
        return next(
          new HttpError('CONFLICT', `task ${record.id} has already ended`, { status: 409 }),
        );
      }
      res.json(ok(toTask(record, state.now(), baseUrlFor(state, req))));
    }) satisfies express.RequestHandler;
  router.post(
    '/tasks/:id/complete',
    endTask(() => undefined),
  );
  router.post(
    '/tasks/:id/fail',
    endTask(
      (body) => parse(FailSchema, body).error ?? 'generation failed: failed by an admin request',
    ),
  );

  return router;
}
