import { afterEach } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  RECORDING_DIRS,
  RECORDING_FORMAT,
  recordedImagePath,
  recordingFileName,
  type RecordedExchange,
  type RecordedWebhook,
} from '@eggapi/contracts';
import { keyFingerprint } from '@eggapi/mock-engine';
import { PNG } from 'pngjs';

export const RECORDED_KEY = 'sk_live_recorded_key_0001';
export const RECORDED_TASK = 'gen_rec0rded0001';
export const RECORDED_PROMPT = 'A red fox in the snow';
export const UPSTREAM = 'https://files.upstream.example';
/** When the recorded `POST` started. */
export const T0 = Date.parse('2026-12-04T18:00:00.000Z');
/** The recorded polls' starts after T0 (pending, processing, completed), and the webhook's. */
export const POLL_AFTER_MS = [500, 1_500, 3_000] as const;
export const WEBHOOK_AFTER_MS = 2_900;

export interface RecordingFixture {
  dir: string;
  /** The stored PNG of output 0. */
  png: Buffer;
  /** Exchange file names, in order: the POST, then the polls. */
  files: string[];
  /** Writes one more file (relative to the root) as given. */
  write: (file: string, content: string | Uint8Array) => Promise<void>;
  remove: () => Promise<void>;
}

const iso = (at: number) => new Date(at).toISOString();

export function recordedTask(status: string, at: number): Record<string, unknown> {
  const url = `${UPSTREAM}/${RECORDED_TASK}/0.png`;
  return {
    id: RECORDED_TASK,
    status,
    model: 'nanobanana',
    type: 'image_generate',
    output: status === 'completed' ? { url, urls: [url] } : null,
    cost: '$0.0100',
    error: null,
    created_at: iso(T0),
    started_at: status === 'pending' ? null : iso(T0 + 1_000),
    completed_at: status === 'completed' ? iso(at) : null,
  };
}

/** One exchange of the recorded key, as the proxy writes it. */
export function exchange(
  at: number,
  method: string,
  path: string,
  status: number,
  body: unknown,
  requestBody?: unknown,
): RecordedExchange {
  return {
    format: RECORDING_FORMAT,
    kind: 'exchange',
    recorded_at: iso(at + 20),
    request: {
      method,
      path,
      query: '',
      key: keyFingerprint(RECORDED_KEY),
      headers: { authorization: `Bearer ${keyFingerprint(RECORDED_KEY)}` },
      ...(requestBody === undefined ? {} : { body: requestBody }),
    },
    response: {
      status,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: { data: body, error: null },
    },
    timing: { started_at: iso(at), duration_ms: 20 },
    task_id: RECORDED_TASK,
  };
}

/**
 * A recording as the proxy in front of a mock writes it: `POST /v1/generate` (202 pending), three
 * polls (pending, processing, completed with an upstream image link), the image under `images/`,
 * and the `task.completed` webhook a receiver recorded.
 */
/**
 * `record()` writes a fresh recording (see `writeRecording`); every one a test made is removed
 * after it.
 */
export function useRecordings(): () => Promise<RecordingFixture> {
  const made: RecordingFixture[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((recording) => recording.remove()));
  });
  return async () => {
    const recording = await writeRecording();
    made.push(recording);
    return recording;
  };
}

export async function writeRecording(): Promise<RecordingFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'eggapi-recording-'));
  const write = async (file: string, content: string | Uint8Array) => {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), content);
  };
  const request = {
    model: 'nanobanana',
    prompt: RECORDED_PROMPT,
    webhook_url: 'https://receiver.example/hooks',
  };
  const entries: RecordedExchange[] = [
    exchange(T0, 'POST', '/v1/generate', 202, recordedTask('pending', T0), request),
    ...(['pending', 'processing', 'completed'] as const).map((status, n) => {
      const at = T0 + POLL_AFTER_MS[n]!;
      return exchange(at, 'GET', `/v1/tasks/${RECORDED_TASK}`, 200, recordedTask(status, at));
    }),
  ];
  const imageFile = recordedImagePath(RECORDED_TASK, 0)!;
  entries[3]!.images = [{ url: `${UPSTREAM}/${RECORDED_TASK}/0.png`, file: imageFile }];
  const files: string[] = [];
  for (const [n, entry] of entries.entries()) {
    const label = `${entry.request.method}-${entry.request.path}`;
    const file = `${RECORDING_DIRS.exchanges}/${recordingFileName(Date.parse(entry.timing.started_at), n + 1, label)}`;
    files.push(file);
    await write(file, JSON.stringify(entry, null, 2));
  }
  const png = PNG.sync.write(new PNG({ width: 2, height: 2 }));
  await write(imageFile, png);
  const payload = {
    event: 'task.completed',
    task_id: RECORDED_TASK,
    status: 'completed',
    model: 'nanobanana',
    output: { urls: [`${UPSTREAM}/${RECORDED_TASK}/0.png`] },
    cost: '0.010000',
    timestamp: Math.floor((T0 + WEBHOOK_AFTER_MS) / 1000),
  };
  const webhook: RecordedWebhook = {
    format: RECORDING_FORMAT,
    kind: 'webhook',
    recorded_at: iso(T0 + WEBHOOK_AFTER_MS),
    headers: { 'content-type': 'application/json' },
    raw_body: JSON.stringify(payload),
    body: payload,
    task_id: RECORDED_TASK,
  };
  await write(
    `${RECORDING_DIRS.webhooks}/${recordingFileName(T0 + WEBHOOK_AFTER_MS, 1, `task-completed-${RECORDED_TASK}`)}`,
    JSON.stringify(webhook, null, 2),
  );
  return { dir, png, files, write, remove: () => rm(dir, { recursive: true, force: true }) };
}
