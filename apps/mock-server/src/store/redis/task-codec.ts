import type { TaskRecord, TaskTimes } from '@eggapi/mock-engine/host';
import type { UsageEntry } from '@eggapi/mock-engine/host';

/**
 * A task as a Redis hash: what never changes as one JSON field, and each field the atomic scripts
 * change (start, end, polls left, the end itself) as its own. Numbers are written with `String`,
 * so `Infinity` (a task waiting for polls or an admin) round-trips.
 */
export function encodeTask(record: TaskRecord): string[] {
  const { startsAt, endsAt, failure, pollsLeft, ended, ...fixed } = record;
  const fields = ['json', JSON.stringify(fixed), 'owner', record.owner];
  fields.push('startsAt', String(startsAt), 'endsAt', String(endsAt));
  fields.push('failure', JSON.stringify(failure ?? null));
  if (pollsLeft !== undefined) fields.push('pollsLeft', String(pollsLeft));
  if (ended) fields.push('ended', JSON.stringify(ended));
  return fields;
}

export function decodeTask(fields: Record<string, string>): TaskRecord | undefined {
  if (fields.json === undefined) return undefined;
  const record = Object.assign(JSON.parse(fields.json) as TaskRecord, decodeTimes(fields));
  record.pollsLeft = fields.pollsLeft === undefined ? undefined : Number(fields.pollsLeft);
  return record;
}

/** The fields a task's status follows from (`settledStatusAt`): its times and how it ends. */
export function decodeTimes(fields: Partial<Record<string, string>>): TaskTimes {
  const times: TaskTimes = {
    startsAt: Number(fields.startsAt),
    endsAt: Number(fields.endsAt),
    failure: (JSON.parse(fields.failure ?? 'null') as string | null) ?? undefined,
  };
  if (fields.ended !== undefined) times.ended = JSON.parse(fields.ended) as TaskTimes['ended'];
  return times;
}

export function encodeUsage(entry: UsageEntry): string[] {
  return ['json', JSON.stringify(entry), 'owner', entry.owner];
}

export function decodeUsage(fields: Record<string, string>): UsageEntry | undefined {
  return fields.json === undefined ? undefined : (JSON.parse(fields.json) as UsageEntry);
}

/** A flat `[field, value, …]` reply (HGETALL inside a script) as an object. */
export function fieldsOf(reply: unknown): Record<string, string> {
  if (!Array.isArray(reply)) return (reply ?? {}) as Record<string, string>;
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) fields[String(reply[i])] = String(reply[i + 1]);
  return fields;
}
