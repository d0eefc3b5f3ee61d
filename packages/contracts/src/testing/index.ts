import type { GenerateRequestInput } from '../schemas/generate.js';
import type { Task } from '../schemas/task.js';
import type { TaskCompletedEvent, TaskFailedEvent } from '../schemas/webhook.js';

/**
 * Fixture factories shared by the tests of every package: a valid value of each shape, with
 * overrides. Each returns a fresh object.
 */

const CREATED_AT = '2026-05-08T10:30:00Z';
const STARTED_AT = '2026-05-08T10:30:01Z';
const COMPLETED_AT = '2026-05-08T10:30:10Z';

/** A valid `POST /v1/generate` body. */
export function generateRequestFixture(
  overrides: Partial<GenerateRequestInput> = {},
): GenerateRequestInput {
  return {
    model: 'nanobanana',
    prompt: 'A dashboard hero image with glass UI panels',
    aspect_ratio: '16:9',
    num_outputs: 1,
    ...overrides,
  };
}

/**
 * A task in the given status (default `pending`), with the members that status has upstream:
 * output and `$0.0100` per image once completed, an error message and `$0.00` once failed.
 */
export function taskFixture(overrides: Partial<Task> = {}): Task {
  const status = overrides.status ?? 'pending';
  const id = overrides.id ?? 'gen_abc123def456';
  const base: Task = {
    id,
    status,
    model: 'nanobanana',
    type: 'image_generate',
    cost: '$0.00',
    created_at: CREATED_AT,
  };
  if (status === 'processing') base.started_at = STARTED_AT;
  if (status === 'completed') {
    const url = `https://file.eggapi.ai/images/${id}/0.png`;
    Object.assign(base, {
      output: { url, urls: [url] },
      cost: '$0.0100',
      started_at: STARTED_AT,
      completed_at: COMPLETED_AT,
    });
  }
  if (status === 'failed') {
    Object.assign(base, {
      error: 'generation failed: upstream provider unavailable',
      started_at: STARTED_AT,
      completed_at: COMPLETED_AT,
    });
  }
  return { ...base, ...overrides };
}

/** A `task.completed` webhook payload. */
export function taskCompletedEventFixture(
  overrides: Partial<TaskCompletedEvent> = {},
): TaskCompletedEvent {
  const taskId = overrides.task_id ?? 'gen_abc123def456';
  return {
    event: 'task.completed',
    task_id: taskId,
    status: 'completed',
    model: 'nanobanana',
    output: { urls: [`https://file.eggapi.ai/images/${taskId}/0.png`] },
    cost: '0.010000',
    timestamp: 1778217000,
    ...overrides,
  };
}

/** A `task.failed` webhook payload. */
export function taskFailedEventFixture(overrides: Partial<TaskFailedEvent> = {}): TaskFailedEvent {
  return {
    event: 'task.failed',
    task_id: 'gen_abc123def456',
    status: 'failed',
    model: 'nanobanana',
    error: 'generation failed: upstream provider unavailable',
    cost: '0.000000',
    timestamp: 1778217000,
    ...overrides,
  };
}
