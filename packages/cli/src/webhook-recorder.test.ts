import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRecordingEntry } from '@eggapi/contracts';
import { describe, expect, it } from 'vitest';
import { createWebhookRecorder, recordedWebhook } from './webhook-recorder.js';
import { tempDir } from '../../../test-support/temp-dir.mjs';

const delivery = (body: string, receivedAt = Date.parse('2026-12-04T18:00:07.456Z')) => ({
  receivedAt,
  rawHeaders: ['Content-Type', 'application/json', 'X-Seen', 'a', 'x-seen', 'b'],
  body: Buffer.from(body),
});

describe('recordedWebhook', () => {
  it('keeps the exact body, lower-case headers (repeats joined) and a task id only when it is one', () => {
    const body = '{"event":"task.completed","task_id":"gen_abc123def456"}';
    const { entry, label } = recordedWebhook(delivery(body));
    expect(entry).toEqual({
      format: 'eggapi-recording/1',
      kind: 'webhook',
      recorded_at: '2026-12-04T18:00:07.456Z',
      headers: { 'content-type': 'application/json', 'x-seen': 'a, b' },
      raw_body: body,
      body: JSON.parse(body),
      task_id: 'gen_abc123def456',
    });
    expect(label).toBe('task.completed gen_abc123def456');
    expect(parseRecordingEntry(JSON.stringify(entry))).toEqual({ ok: true, entry });
    const hostile = { ...delivery('{}'), rawHeaders: ['__proto__', 'p'] };
    const { headers } = recordedWebhook(hostile).entry;
    expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
    expect(Object.keys(headers)).toEqual(['__proto__']);
    expect(recordedWebhook(delivery('{"event":1,"task_id":"../x"}'))).toMatchObject({
      entry: { task_id: null },
      label: 'webhook',
    });
  });
});

describe('createWebhookRecorder', () => {
  it('stores up to its limit, says once that it stopped, and leaves no temporary file', async () => {
    const dir = tempDir('recorder-');
    const warnings: string[] = [];
    const recorder = createWebhookRecorder(dir, (message) => warnings.push(message), 2);
    for (let i = 0; i < 4; i += 1) recorder.record(delivery(`{"n":${i}}`, 1000 + i));
    await recorder.settled();
    const names = readdirSync(join(dir, 'webhooks'));
    expect(names.sort()).toEqual([
      '19700101T000001000Z-000001-webhook.json',
      '19700101T000001001Z-000002-webhook.json',
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'webhooks', names[1]!), 'utf8')).raw_body).toBe(
      '{"n":1}',
    );
    expect(warnings).toEqual([
      'recorded 2 deliveries, the most one run stores; later ones are not recorded (restart the listener to record more)',
    ]);
  });
});
