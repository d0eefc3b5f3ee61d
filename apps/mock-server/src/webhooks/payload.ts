import type { WebhookEvent } from '@eggapi/contracts';
import { costForImages, formatWebhookCost } from '@eggapi/contracts';
import { outputUrls, type TaskRecord } from '../store/task-record.js';

/** The webhook payload of an ended task, exactly as upstream's async-tasks page shows it. */
export function webhookPayload(record: TaskRecord, publicBaseUrl: string): WebhookEvent {
  const ended = record.ended;
  if (!ended) throw new Error(`task ${record.id} has not ended`);
  const base = {
    task_id: record.id,
    model: record.request.model,
    timestamp: Math.floor(ended.completedAt / 1000),
  };
  if (ended.status === 'completed') {
    const urls = outputUrls(record, publicBaseUrl);
    return {
      event: 'task.completed',
      ...base,
      status: 'completed',
      output: { urls },
      cost: formatWebhookCost(costForImages(urls.length)),
    };
  }
  return {
    event: 'task.failed',
    ...base,
    status: 'failed',
    error: record.failure ?? 'generation failed',
    cost: formatWebhookCost(0),
  };
}
