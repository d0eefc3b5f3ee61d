import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  RECORDING_DIRS,
  RECORDING_FORMAT,
  recordingFileName,
  type RecordedExchange,
  type RecordedWebhook,
} from '@eggapi/contracts';
import { taskCompletedEventFixture, taskFixture } from '@eggapi/contracts/testing';
import { tempDir } from '../../../../test-support/temp-dir.mjs';

const AT = Date.parse('2026-12-04T18:00:00.000Z');
const KEY = 'sk_t…ggapi';
const TASK_ID = 'gen_abc123def456';

type Message = { status: number; body?: unknown; body_text?: string };

/** A recorded exchange as the mock's `--record` writes it. */
export function recordedExchange(
  second: number,
  request: { method: string; path: string; query?: string; body?: unknown },
  response: Message,
): RecordedExchange {
  const at = new Date(AT + second * 1000).toISOString();
  return {
    format: RECORDING_FORMAT,
    kind: 'exchange',
    recorded_at: at,
    request: {
      query: '',
      ...request,
      key: KEY,
      headers: {
        authorization: `Bearer ${KEY}`,
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
    },
    response: { headers: { 'content-type': 'application/json' }, ...response },
    timing: { started_at: at, duration_ms: 12 },
    task_id: request.path.startsWith('/v1/tasks/') || request.method === 'POST' ? TASK_ID : null,
  };
}

/** A recorded delivery as `eggapi webhooks listen --record` writes it. */
export function recordedWebhook(second: number, body: unknown): RecordedWebhook {
  const raw = JSON.stringify(body);
  return {
    format: RECORDING_FORMAT,
    kind: 'webhook',
    recorded_at: new Date(AT + second * 1000).toISOString(),
    headers: { 'content-type': 'application/json', 'x-eggapi-timestamp': '1778217000' },
    raw_body: raw,
    body,
    task_id: TASK_ID,
  };
}

const poll = { method: 'GET', path: `/v1/tasks/${TASK_ID}` };
const success = (data: unknown) => ({ data, error: null });

/** The entries of a recording that conforms: one of each kind of answer, in time order. */
export function conformingEntries(): Record<string, RecordedExchange | RecordedWebhook> {
  const completed = taskFixture({ id: TASK_ID, status: 'completed' });
  const entries = [
    recordedExchange(
      0,
      { method: 'POST', path: '/v1/generate', body: { model: 'nanobanana', prompt: 'a red fox' } },
      { status: 202, body: success(taskFixture({ id: TASK_ID })) },
    ),
    recordedExchange(1, poll, { status: 200, body: success(taskFixture({ id: TASK_ID })) }),
    recordedExchange(2, poll, { status: 200, body: success(completed) }),
    recordedExchange(
      3,
      { method: 'GET', path: '/v1/tasks/gen_missing000' },
      {
        status: 404,
        body: { data: null, error: { code: 'NOT_FOUND', message: 'task not found' } },
      },
    ),
    recordedExchange(
      4,
      { method: 'GET', path: '/v1/tasks', query: 'page=1&per_page=20' },
      {
        status: 200,
        body: success({
          items: [completed],
          pagination: { page: 1, per_page: 20, total: 1, total_pages: 1 },
        }),
      },
    ),
    recordedWebhook(5, taskCompletedEventFixture({ task_id: TASK_ID })),
  ];
  return Object.fromEntries(
    entries.map((entry, i) => {
      const dir = entry.kind === 'exchange' ? RECORDING_DIRS.exchanges : RECORDING_DIRS.webhooks;
      const label =
        entry.kind === 'exchange'
          ? `${entry.request.method} ${entry.request.path}`
          : `task.completed ${TASK_ID}`;
      return [`${dir}/${recordingFileName(Date.parse(entry.recorded_at), i + 1, label)}`, entry];
    }),
  );
}

/** Writes `files` (path under the root → entry, or raw text) into a new directory. */
export function writeRecording(files: Record<string, unknown>): string {
  const root = tempDir('recording-');
  for (const [file, content] of Object.entries(files)) {
    const path = join(root, file);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(
      path,
      typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`,
    );
  }
  return root;
}
