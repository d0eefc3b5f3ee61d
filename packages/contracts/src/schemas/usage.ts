import { z } from 'zod';
import { tolerantObject } from './tolerant.js';
import { TaskCostSchema, TaskTypeSchema } from './task.js';
import { TimestampSchema } from './time.js';

/** One usage record: what a completed task billed. Tolerant of unknown members. */
export const UsageRecordSchema = tolerantObject({
  id: z.string().min(1),
  task_id: z.string().min(1),
  model: z.string(),
  type: TaskTypeSchema,
  quantity: z.number().int().nonnegative().describe('Images billed.'),
  cost: TaskCostSchema,
  created_at: TimestampSchema,
});

export type UsageRecord = z.infer<typeof UsageRecordSchema>;
