import type { TaskRecord } from '@eggapi/mock-engine/host';
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
  const record = JSON.parse(fields.json) as TaskRecord;
  record.startsAt = Number(fields.startsAt);
  record.endsAt = Number(fields.endsAt);
  record.failure = (JSON.parse(fields.failure ?? 'null') as string | null) ?? undefined;
  record.pollsLeft = fields.pollsLeft === undefined ? undefined : Number(fields.pollsLeft);
  if (fields.ended !== undefined) record.ended = JSON.parse(fields.ended) as TaskRecord['ended'];
  return record;
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
