import * as z from 'zod/mini';
import './locale.js';
import { tolerantObject } from './tolerant.js';
import { UnixSecondsSchema } from './time.js';
import { TaskOutputSchema } from './task.js';

/** A webhook cost: a plain 6-decimal dollar string (`"0.010000"`). */
export const WebhookCostSchema = z
  .string()
  .check(z.regex(/^\d+(?:\.\d+)?$/, { error: 'webhook cost must look like "0.010000"' }));

const webhookBase = {
  task_id: z.string().check(z.minLength(1)),
  model: z.string(),
  cost: WebhookCostSchema,
  timestamp: UnixSecondsSchema,
};

/** `task.completed`: `output` with `urls` (async-tasks page) or `url` (another guide), `error` absent or null. */
export const TaskCompletedEventSchema = tolerantObject({
  event: z.literal('task.completed'),
  status: z.literal('completed'),
  ...webhookBase,
  output: TaskOutputSchema,
  error: z.optional(z.null()),
});

/** `task.failed`: the failure message in `error`. */
export const TaskFailedEventSchema = tolerantObject({
  event: z.literal('task.failed'),
  status: z.literal('failed'),
  ...webhookBase,
  error: z.string(),
  output: z.nullish(TaskOutputSchema),
});

/** A webhook payload, discriminated on `event`. */
export const WebhookEventSchema = z.discriminatedUnion('event', [
  TaskCompletedEventSchema,
  TaskFailedEventSchema,
]);

export type TaskCompletedEvent = z.infer<typeof TaskCompletedEventSchema>;
export type TaskFailedEvent = z.infer<typeof TaskFailedEventSchema>;
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;
