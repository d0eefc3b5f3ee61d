import * as z from 'zod/mini';
import './locale.js';
import { described } from './describe.js';
import { extensibleEnum, type Extensible } from './extensible-enum.js';
import { tolerantObject } from './tolerant.js';
import { TimestampSchema } from './time.js';

/** The documented task statuses, in lifecycle order. */
export const TASK_STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;
export type KnownTaskStatus = (typeof TASK_STATUSES)[number];

/** Statuses after which a task never changes again. */
export const TERMINAL_TASK_STATUSES = ['completed', 'failed'] as const satisfies KnownTaskStatus[];
export type TerminalTaskStatus = (typeof TERMINAL_TASK_STATUSES)[number];

export const TASK_TYPES = ['image_generate', 'image_edit'] as const;
export type KnownTaskType = (typeof TASK_TYPES)[number];

/**
 * A task status as read from a server: one of the documented four, or a string a newer server
 * may add (readers should treat an unknown status as "not finished").
 */
export type TaskStatus = Extensible<KnownTaskStatus>;
export const TaskStatusSchema = extensibleEnum(
  TASK_STATUSES,
  'The task status. Newer servers may add statuses: treat an unknown one as not finished.',
);

/** A task type as read from a server: `image_generate`, `image_edit` or a newer one. */
export type TaskType = Extensible<KnownTaskType>;
export const TaskTypeSchema = extensibleEnum(
  TASK_TYPES,
  'What the task does. Newer servers may add types: read an unknown one as a plain string.',
);

/** Whether a status is terminal (`completed` or `failed`). Unknown statuses are not. */
export function isTerminalStatus(status: string): status is TerminalTaskStatus {
  return (TERMINAL_TASK_STATUSES as readonly string[]).includes(status);
}

/** A task dollar cost: `"$0.0100"` once completed, `"$0.00"` while pending and on failure. */
export const TaskCostSchema = z
  .string()
  .check(z.regex(/^\$\d+(?:\.\d+)?$/, { error: 'cost must look like "$0.0100"' }));

/** A task's output: upstream sends `url` and `urls`; some variants carry only one of them. */
export const TaskOutputSchema = tolerantObject({
  url: z.optional(z.string()),
  urls: z.optional(z.array(z.string())),
});
export type TaskOutput = z.infer<typeof TaskOutputSchema>;

/**
 * A task as `GET /v1/tasks/:id` answers it. Tolerant: unknown members are kept, `output`,
 * `error` and the lifecycle times may be absent or `null`, times may carry offsets and
 * microseconds.
 */
export const TaskSchema = tolerantObject({
  id: z.string().check(z.minLength(1)),
  status: TaskStatusSchema,
  model: z.string(),
  type: TaskTypeSchema,
  output: z.nullish(TaskOutputSchema),
  cost: TaskCostSchema,
  error: described(z.nullish(z.string()), 'The failure message of a failed task.'),
  created_at: TimestampSchema,
  started_at: z.nullish(TimestampSchema),
  completed_at: z.nullish(TimestampSchema),
});

export type Task = z.infer<typeof TaskSchema>;

/**
 * Path parameters of `GET /v1/tasks/:id`: any non-empty id. Looser than `TaskIdSchema` on
 * purpose: an id that rule refuses (`..`, one with a space) names no task, so a server answers it
 * 404 NOT_FOUND like any other unknown id, not 400. Clients apply `TaskIdSchema` before sending.
 */
export const TaskIdParamsSchema = z.strictObject({
  id: z.string().check(z.minLength(1, { error: 'task id must not be empty' })),
});
