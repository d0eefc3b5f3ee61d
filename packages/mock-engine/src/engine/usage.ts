import type { UsageRecord } from '@eggapi/contracts';
import {
  costForImages,
  formatTaskCost,
  TASK_ID_PREFIX,
  USAGE_RECORD_ID_PREFIX,
} from '@eggapi/contracts';
import { isoSeconds, type TaskRecord } from './task-record.js';

/** A usage record as the mock keeps it: one per billed (completed) task. */
export interface UsageEntry {
  id: string;
  owner: string;
  task: TaskRecord;
}

/** The usage record of a completed task: `gen_abc` → `usage_abc`. */
export function usageEntryFor(task: TaskRecord): UsageEntry {
  const bare = task.id.startsWith(TASK_ID_PREFIX) ? task.id.slice(TASK_ID_PREFIX.length) : task.id;
  return { id: `${USAGE_RECORD_ID_PREFIX}${bare}`, owner: task.owner, task };
}

export function toUsageRecord(entry: UsageEntry): UsageRecord {
  const { task } = entry;
  const quantity = task.request.num_outputs;
  return {
    id: entry.id,
    task_id: task.id,
    model: task.request.model,
    type: task.type,
    quantity,
    cost: formatTaskCost(costForImages(quantity)),
    created_at: isoSeconds(task.ended!.completedAt),
  };
}
