import * as z from 'zod/mini';
import './locale.js';
import { described } from './describe.js';
import { tolerantObject } from './tolerant.js';
import { TaskCostSchema, TaskTypeSchema } from './task.js';
import { TimestampSchema } from './time.js';

/** One usage record: what a completed task billed. Tolerant of unknown members. */
export const UsageRecordSchema = tolerantObject({
  id: z.string().check(z.minLength(1)),
  task_id: z.string().check(z.minLength(1)),
  model: z.string(),
  type: TaskTypeSchema,
  quantity: described(z.number().check(z.int(), z.nonnegative()), 'Images billed.'),
  cost: TaskCostSchema,
  created_at: TimestampSchema,
});

export type UsageRecord = z.infer<typeof UsageRecordSchema>;
