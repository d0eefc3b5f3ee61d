import * as z from 'zod/mini';
import '../schemas/locale.js';
import { isTaskId } from '../schemas/ids.js';

/**
 * Recordings of exchanges with EggAPI (the mock's `--record`) and of the webhooks it sent
 * (`eggapi webhooks listen --record`): one readable, diffable JSON file per exchange or delivery,
 * in one directory that the mock's `--replay` and `eggapi-conformance --against-recording` read.
 *
 * ```text
 * <dir>/exchanges/20261204T180000123Z-000001-post-v1-generate.json
 * <dir>/webhooks/20261204T180007456Z-000001-task-completed-gen_abc123def456.json
 * <dir>/images/gen_abc123def456/0.png
 * ```
 */
export const RECORDING_FORMAT = 'eggapi-recording/1';

/** The directories of a recording, under its root. */
export const RECORDING_DIRS = {
  exchanges: 'exchanges',
  webhooks: 'webhooks',
  images: 'images',
} as const;

/** The most of a body kept as text when it is not JSON. */
export const RECORDED_TEXT_MAX_CHARS = 64 * 1024;

const headers = z.record(z.string(), z.string());
const isoTime = z
  .string()
  .check(z.refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO 8601 time'));

/** A message's body: `body` when it was JSON, else `body_text` (its start); neither for none. */
const bodyFields = {
  body: z.optional(z.unknown()),
  body_text: z.optional(z.string()),
};

/**
 * One request to the API and its answer. The API key is never kept: `request.key` is its
 * fingerprint (`sk_t…ggapi`) and `authorization` shows only that. Image links of a completed task
 * stay the upstream's in `response`; the images fetched once are listed in `images` with the
 * file (relative to the recording's root) each was stored in.
 */
export const RecordedExchangeSchema = z.object({
  format: z.literal(RECORDING_FORMAT),
  kind: z.literal('exchange'),
  recorded_at: isoTime,
  request: z.object({
    method: z.string().check(z.minLength(1)),
    path: z.string().check(z.startsWith('/')),
    /** The query string without `?` (`''` for none). */
    query: z.string(),
    /** The fingerprint of the request's API key; `null` without one. */
    key: z.nullable(z.string()),
    /** Lower-case names. */
    headers,
    ...bodyFields,
  }),
  response: z.object({
    status: z.int().check(z.gte(100), z.lte(599)),
    headers,
    ...bodyFields,
  }),
  timing: z.object({ started_at: isoTime, duration_ms: z.number().check(z.gte(0)) }),
  /** The task the exchange created or read, if any. */
  task_id: z.nullable(z.string()),
  images: z.optional(z.array(z.object({ url: z.string(), file: z.string() }))),
});
export type RecordedExchange = z.infer<typeof RecordedExchangeSchema>;

/** One webhook delivery as a receiver got it: its headers and the exact body. */
export const RecordedWebhookSchema = z.object({
  format: z.literal(RECORDING_FORMAT),
  kind: z.literal('webhook'),
  recorded_at: isoTime,
  /** Lower-case names (the signature and timestamp included: they are not secrets). */
  headers,
  /** The body exactly as received (what the signature covers). */
  raw_body: z.string(),
  /** `raw_body` parsed, when it is JSON. */
  body: z.optional(z.unknown()),
  task_id: z.nullable(z.string()),
});
export type RecordedWebhook = z.infer<typeof RecordedWebhookSchema>;

export const RecordingEntrySchema = z.discriminatedUnion('kind', [
  RecordedExchangeSchema,
  RecordedWebhookSchema,
]);
export type RecordingEntry = z.infer<typeof RecordingEntrySchema>;

/**
 * The file name of an entry recorded at `at` (ms): sortable by time, then `sequence`, then a
 * readable label reduced to `[a-z0-9_-]` (a server's ids never choose a path).
 */
export function recordingFileName(at: number, sequence: number, label: string): string {
  const time = new Date(at).toISOString().replace(/[-:.]/g, '');
  const slug =
    label
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'entry';
  return `${time}-${String(sequence).padStart(6, '0')}-${slug}.json`;
}

/**
 * Where image `index` of a task is stored, relative to the recording's root; `undefined` when the
 * id is not a task id (it comes from a server: it never becomes a path otherwise).
 */
export function recordedImagePath(taskId: string, index: number): string | undefined {
  if (!isTaskId(taskId) || !Number.isSafeInteger(index) || index < 0 || index > 99) {
    return undefined;
  }
  return `${RECORDING_DIRS.images}/${taskId}/${index}.png`;
}

/**
 * Reads one recording file's text: the entry, or why it is not one (not JSON, another format,
 * a member missing).
 */
export function parseRecordingEntry(
  text: string,
): { ok: true; entry: RecordingEntry } | { ok: false; problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
  const format = (value as { format?: unknown } | null)?.format;
  if (format !== RECORDING_FORMAT) {
    return {
      ok: false,
      problem: `not a recording of format ${RECORDING_FORMAT} (format: ${JSON.stringify(format ?? null)})`,
    };
  }
  const result = z.safeParse(RecordingEntrySchema, value);
  if (result.success) return { ok: true, entry: result.data };
  const [first] = result.error.issues;
  return {
    ok: false,
    problem: `${first?.path.join('.') || 'entry'}: ${first?.message ?? 'invalid'}`,
  };
}
