import type { Page, Task, WebhookEvent } from '@eggapi/contracts';
import { ErrorEnvelopeSchema } from '@eggapi/contracts';
import * as z from 'zod/mini';
import { browseQuerySchema } from '../engine/browse.js';
import { MAX_CLOCK_STEP_MS, type ClockView } from '../clock.js';
import type { Delivery } from '../engine/deliveries.js';
import { FaultInputSchema, type QueuedFault } from '../engine/faults.js';
import { ConfigPatchSchema } from '../engine/runtime-config.js';
import type { AdminTask } from '../engine/task-record.js';
import type { JournalEntry } from '../engine/journal-entry.js';
import { journalQuerySchema } from '../engine/journal-query.js';
import { VerifyRequestSchema } from '../engine/request-matcher.js';
import type { ConfigView, EngineHealth } from '../engine/types.js';
import type { ContractViolation } from '../engine/violations.js';
import { ADMIN_PREFIX } from '../options.js';

/** `{"data": T, "error": null}`, the envelope of every admin answer. */
type Envelope<T> = { data: T; error: null };
/**
 * An answer's type, as zod (a schema that checks nothing at run time: the engine's own types
 * make the answers). Not ts-rest's `c.type`: its declarations name ts-rest's types, which do not
 * compile for a consumer with zod 4 and `skipLibCheck: false`; zod's do.
 */
const ok = <T>() => z.custom<Envelope<T>>();

/** The body of a route that takes none: nothing, or an empty JSON object. */
const NoBodySchema = z.optional(z.strictObject({}));

/** The body of `POST /__admin/tasks/:id/fail`: the failure message, or the default one. */
export const FailTaskSchema = z.strictObject({
  error: z.optional(z.string().check(z.minLength(1), z.maxLength(2_000))),
});

/** The body of `POST /__admin/clock/advance`: how far to move the clock. */
export const AdvanceClockSchema = z.strictObject({
  ms: z.int().check(z.gte(0), z.lte(MAX_CLOCK_STEP_MS)),
});

/** A path parameter naming a task or a delivery: one path segment of sane length. */
const IdParamsSchema = z.object({ id: z.string().check(z.minLength(1), z.maxLength(256)) });

const errors = { 400: ErrorEnvelopeSchema, 401: ErrorEnvelopeSchema, 403: ErrorEnvelopeSchema };

/**
 * The mock's admin API (`/__admin`), for tests, scripts and the console: every route with its
 * request schemas and answer types. Served by every transport (the Node server through
 * `@ts-rest/express`, `createFetchHandler`), read by the console. Answers only the mock's own
 * pages and clients that are not browsers; `adminToken`, when set, is required as a Bearer
 * token. Plain data (a ts-rest contract by its shape, every answer status strict), so that
 * nothing of ts-rest runs where the engine runs.
 */
export const adminContract = {
  health: {
    method: 'GET',
    path: `${ADMIN_PREFIX}/health`,
    summary: 'The store in use and whether it answers (503 while it does not)',
    responses: { 200: ok<EngineHealth>(), 503: ok<EngineHealth>() },
  },
  config: {
    method: 'GET',
    path: `${ADMIN_PREFIX}/config`,
    summary: 'Runtime settings and balances',
    responses: { 200: ok<ConfigView>(), ...errors },
  },
  configure: {
    method: 'PATCH',
    path: `${ADMIN_PREFIX}/config`,
    summary: 'Change runtime settings and balances',
    body: ConfigPatchSchema,
    responses: { 200: ok<ConfigView>(), ...errors },
  },
  reset: {
    method: 'POST',
    path: `${ADMIN_PREFIX}/reset`,
    summary: 'Forget every task, usage record, delivery, fault and idempotent answer',
    body: NoBodySchema,
    responses: { 200: ok<{ reset: true }>(), ...errors },
  },
  faults: {
    method: 'GET',
    path: `${ADMIN_PREFIX}/faults`,
    summary: 'Queued faults',
    responses: { 200: ok<QueuedFault[]>(), ...errors },
  },
  injectFault: {
    method: 'POST',
    path: `${ADMIN_PREFIX}/faults`,
    summary: 'Queue a fault for the next matching /v1 request(s)',
    body: FaultInputSchema,
    responses: { 201: ok<QueuedFault[]>(), ...errors },
  },
  clearFaults: {
    method: 'DELETE',
    path: `${ADMIN_PREFIX}/faults`,
    summary: 'Drop every queued fault',
    body: NoBodySchema,
    responses: { 200: ok<[]>(), ...errors },
  },
  deliveries: {
    method: 'GET',
    path: `${ADMIN_PREFIX}/webhooks`,
    summary: 'Webhook deliveries, with every attempt',
    query: z.object({
      task_id: z.catch(z.optional(z.string().check(z.maxLength(256))), undefined),
    }),
    responses: { 200: ok<Delivery[]>(), ...errors },
  },
  delivery: {
    method: 'GET',
    path: `${ADMIN_PREFIX}/webhooks/:id`,
    summary: 'One webhook delivery',
    pathParams: IdParamsSchema,
    responses: { 200: ok<Delivery>(), ...errors, 404: ErrorEnvelopeSchema },
  },
  redeliver: {
    method: 'POST',
    path: `${ADMIN_PREFIX}/webhooks/:id/redeliver`,
    summary: 'Send a delivery again, as a new round of attempts',
    pathParams: IdParamsSchema,
    body: NoBodySchema,
    responses: { 202: ok<Delivery>(), ...errors, 404: ErrorEnvelopeSchema },
  },
  tasks: {
    method: 'GET',
    path: `${ADMIN_PREFIX}/tasks`,
    summary: "Every key's tasks, newest first",
    query: browseQuerySchema(),
    responses: { 200: ok<Page<AdminTask>>(), ...errors },
  },
  keys: {
    method: 'GET',
    path: `${ADMIN_PREFIX}/keys`,
    summary: "The accepted keys' fingerprints",
    responses: { 200: ok<string[]>(), ...errors },
  },
  events: {
    method: 'GET',
    path: `${ADMIN_PREFIX}/events`,
    summary: "The engine's events as server-sent events",
    responses: {
      // `text/event-stream`, sent as it is written (see `eventStream`).
      200: z.custom<ReadableStream<Uint8Array>>(),
      ...errors,
    },
  },
  task: {
    method: 'GET',
    path: `${ADMIN_PREFIX}/tasks/:id`,
    summary: 'One task, as the admin API shows it',
    pathParams: IdParamsSchema,
    responses: { 200: ok<AdminTask>(), ...errors, 404: ErrorEnvelopeSchema },
  },
  completeTask: {
    method: 'POST',
    path: `${ADMIN_PREFIX}/tasks/:id/complete`,
    summary: 'End a task now as completed',
    pathParams: IdParamsSchema,
    body: NoBodySchema,
    responses: { 200: ok<Task>(), ...errors, 404: ErrorEnvelopeSchema },
  },
  failTask: {
    method: 'POST',
    path: `${ADMIN_PREFIX}/tasks/:id/fail`,
    summary: 'End a task now as failed',
    pathParams: IdParamsSchema,
    body: FailTaskSchema,
    responses: { 200: ok<Task>(), ...errors, 404: ErrorEnvelopeSchema },
  },
  webhookEvent: {
    method: 'GET',
    path: `${ADMIN_PREFIX}/tasks/:id/webhook-event`,
    summary: "An ended task's webhook event, exactly as a delivery of it carries it",
    pathParams: IdParamsSchema,
    responses: {
      200: ok<WebhookEvent>(),
      ...errors,
      404: ErrorEnvelopeSchema,
      409: ErrorEnvelopeSchema,
    },
  },
  clock: {
    method: 'GET',
    path: `${ADMIN_PREFIX}/clock`,
    summary: "The mock's time and how it passes (real or virtual)",
    responses: { 200: ok<ClockView>(), ...errors },
  },
  advanceClock: {
    method: 'POST',
    path: `${ADMIN_PREFIX}/clock/advance`,
    summary: 'Move the clock forward; answers once everything then due has happened',
    body: AdvanceClockSchema,
    responses: { 200: ok<ClockView>(), ...errors, 409: ErrorEnvelopeSchema },
  },
  requests: {
    method: 'GET',
    path: `${ADMIN_PREFIX}/requests`,
    summary: 'The request journal, newest first, optionally filtered',
    query: journalQuerySchema(),
    responses: { 200: ok<Page<JournalEntry>>(), ...errors },
  },
  clearRequests: {
    method: 'DELETE',
    path: `${ADMIN_PREFIX}/requests`,
    summary: 'Forget every journal entry',
    body: NoBodySchema,
    responses: { 200: ok<[]>(), ...errors },
  },
  verifyRequests: {
    method: 'POST',
    path: `${ADMIN_PREFIX}/requests/verify`,
    summary: 'Verify that the expected requests arrived (422 VERIFICATION_FAILED with a report)',
    body: VerifyRequestSchema,
    responses: { 200: ok<JournalEntry[]>(), ...errors, 422: ErrorEnvelopeSchema },
  },
  violations: {
    method: 'GET',
    path: `${ADMIN_PREFIX}/violations`,
    summary: "The validating proxy's contract violations, newest first (none without a proxy)",
    responses: { 200: ok<ContractViolation[]>(), ...errors },
  },
} as const;

export type AdminContract = typeof adminContract;
