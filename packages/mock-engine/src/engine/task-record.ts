import type { GenerateRequest, KnownTaskStatus, KnownTaskType, Task } from '@eggapi/contracts';
import { costForImages, formatTaskCost } from '@eggapi/contracts';

/**
 * A task as the mock keeps it: compact (times as numbers, outputs derived from the id) so that
 * many stored tasks stay small. `toTask` renders the API shape.
 */
export interface TaskRecord {
  id: string;
  /** The owner id: a keyed hash of the API key (`ownerIdOf`), never the key. */
  owner: string;
  type: KnownTaskType;
  request: GenerateRequest;
  createdAt: number;
  /** Planned start, or `Infinity` while it waits for polls (the `polls` scenario). */
  startsAt: number;
  /** Planned end, or `Infinity` while it waits for polls or an admin. */
  endsAt: number;
  /** How it will end: `undefined` completes; a string fails with that message. */
  failure: string | undefined;
  /** Polls left before a `polls` scenario ends the task. */
  pollsLeft: number | undefined;
  /** Set once the task has ended and its effects (usage, billing, webhook) were applied. */
  ended?: { status: 'completed' | 'failed'; startedAt: number; completedAt: number };
  /** Base of the image links in the webhook: where the creating request arrived. */
  webhookImageBase?: string;
}

/** What a task's status at any moment follows from (`statusAt`, `settledStatusAt`). */
export type TaskTimes = Pick<TaskRecord, 'startsAt' | 'endsAt' | 'failure' | 'ended'>;

/** How a task ends: its final status and times, and the failure message of a failed one. */
export interface TaskEnd {
  status: 'completed' | 'failed';
  startedAt: number;
  completedAt: number;
  failure: string | undefined;
}

/** What ending a task changes in its record (`TaskStore.end` applies it). */
export function endedFields(
  end: TaskEnd,
): Pick<TaskRecord, 'failure' | 'endsAt' | 'pollsLeft' | 'ended'> {
  return {
    failure: end.failure,
    endsAt: end.completedAt,
    pollsLeft: undefined,
    ended: { status: end.status, startedAt: end.startedAt, completedAt: end.completedAt },
  };
}

/** The status of a task at time `now` (ended tasks keep theirs). */
export function statusAt(record: TaskTimes, now: number): KnownTaskStatus {
  if (record.ended) return record.ended.status;
  return now >= record.startsAt ? 'processing' : 'pending';
}

/**
 * The status a task shows at `now` once an end that is due has been applied, as every read shows
 * it (the engine settles a task whose planned end has passed before answering). The stores filter
 * on it (`TaskStore.browse`), the Redis store on the times its script reads: this is the one place
 * the rule is written.
 */
export function settledStatusAt(record: TaskTimes, now: number): KnownTaskStatus {
  if (!record.ended && record.endsAt <= now) {
    return record.failure === undefined ? 'completed' : 'failed';
  }
  return statusAt(record, now);
}

/** `{publicBaseUrl}/images/{id}/{n}.png` for each output image. */
export function outputUrls(record: TaskRecord, publicBaseUrl: string): string[] {
  return Array.from(
    { length: record.request.num_outputs },
    (_, n) => `${publicBaseUrl}/images/${record.id}/${n}.png`,
  );
}

/**
 * RFC 3339 in whole seconds, `2026-05-08T10:30:00Z`, as upstream's examples print task times
 * (readers accept fractions too; the mock writes the common form).
 */
export const isoSeconds = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/**
 * The task as its creation answers it: at `pending`, as upstream does whatever the timing (an
 * idempotent replay answers the same, even after the task has ended).
 */
export function toCreatedTask(record: TaskRecord): Task {
  return {
    id: record.id,
    status: 'pending',
    model: record.request.model,
    type: record.type,
    cost: '$0.00',
    created_at: isoSeconds(record.createdAt),
  };
}

/** The task as `GET /v1/tasks/:id` answers it, with the members its status has upstream. */
export function toTask(record: TaskRecord, now: number, publicBaseUrl: string): Task {
  const status = statusAt(record, now);
  const task: Task = {
    id: record.id,
    status,
    model: record.request.model,
    type: record.type,
    cost: '$0.00',
    created_at: isoSeconds(record.createdAt),
  };
  if (status === 'processing') task.started_at = isoSeconds(record.startsAt);
  const ended = record.ended;
  if (ended) {
    if (ended.status === 'completed') {
      const urls = outputUrls(record, publicBaseUrl);
      task.output = { url: urls[0]!, urls };
      task.cost = formatTaskCost(costForImages(urls.length));
    } else {
      task.error = record.failure!;
    }
    task.started_at = isoSeconds(ended.startedAt);
    task.completed_at = isoSeconds(ended.completedAt);
  }
  return task;
}

/**
 * A task as the admin API and the console show it: the API view, plus whose it is (the key's
 * fingerprint, never the key), the request as it was accepted, and its times to the millisecond.
 */
export type AdminTask = Task & {
  /** The fingerprint of the owner's key (`sk_t…ggapi`). */
  owner: string;
  request: GenerateRequest;
  timeline: {
    created_at: string;
    /** When it starts (planned) or started; `null` while it waits for polls. */
    starts_at: string | null;
    /** When it ends (planned) or ended; `null` while it waits for polls or an admin. */
    ends_at: string | null;
  };
};

const isoOrNull = (ms: number): string | null =>
  Number.isFinite(ms) ? new Date(ms).toISOString() : null;

/** The admin view of a task (see `AdminTask`); `owner`: its owner's key fingerprint. */
export function toAdminTask(
  record: TaskRecord,
  now: number,
  publicBaseUrl: string,
  owner: string,
): AdminTask {
  const ended = record.ended;
  return {
    ...toTask(record, now, publicBaseUrl),
    owner,
    request: record.request,
    timeline: {
      created_at: new Date(record.createdAt).toISOString(),
      starts_at: isoOrNull(ended ? ended.startedAt : record.startsAt),
      ends_at: isoOrNull(ended ? ended.completedAt : record.endsAt),
    },
  };
}
