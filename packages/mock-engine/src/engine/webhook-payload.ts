import type { WebhookEvent } from '@eggapi/contracts';
import { costForImages, formatWebhookCost } from '@eggapi/contracts';
import { outputUrls, type TaskRecord } from './task-record.js';

/** The webhook payload of an ended task, exactly as upstream's async-tasks page shows it. */
export function webhookPayload(record: TaskRecord, publicBaseUrl: string): WebhookEvent {
  const ended = record.ended;
  if (!ended) throw new Error(`task ${record.id} has not ended`);
  const timestamp = Math.floor(ended.completedAt / 1000);
  // Members in the order of the spec page's examples.
  if (ended.status === 'completed') {
    const urls = outputUrls(record, publicBaseUrl);
    return {
      event: 'task.completed',
      task_id: record.id,
      status: 'completed',
      model: record.request.model,
      output: { urls },
      cost: formatWebhookCost(costForImages(urls.length)),
      timestamp,
    };
  }
  return {
    event: 'task.failed',
    task_id: record.id,
    status: 'failed',
    model: record.request.model,
    error: record.failure ?? 'generation failed',
    cost: formatWebhookCost(0),
    timestamp,
  };
}
