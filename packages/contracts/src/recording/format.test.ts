import { describe, expect, it } from 'vitest';
import {
  parseRecordingEntry,
  RECORDING_FORMAT,
  recordedImagePath,
  recordingFileName,
  type RecordedExchange,
} from '../index.js';

const exchange: RecordedExchange = {
  format: RECORDING_FORMAT,
  kind: 'exchange',
  recorded_at: '2026-12-04T18:00:00.123Z',
  request: {
    method: 'POST',
    path: '/v1/generate',
    query: '',
    key: 'sk_t…ggapi',
    headers: { authorization: 'Bearer sk_t…ggapi', 'content-type': 'application/json' },
    body: { model: 'nanobanana', prompt: 'a red fox' },
  },
  response: { status: 202, headers: { 'x-request-id': 'req_1' }, body: { data: {}, error: null } },
  timing: { started_at: '2026-12-04T18:00:00.100Z', duration_ms: 23 },
  task_id: 'gen_abc123def456',
};

describe('recording files', () => {
  it('name entries by time, sequence and a safe label', () => {
    expect(recordingFileName(Date.parse('2026-12-04T18:00:00.123Z'), 7, 'POST /v1/generate')).toBe(
      '20261204T180000123Z-000007-post-v1-generate.json',
    );
    expect(recordingFileName(0, 1, '../../etc/passwd')).toBe(
      '19700101T000000000Z-000001-etc-passwd.json',
    );
    expect(recordingFileName(0, 1, '///')).toBe('19700101T000000000Z-000001-entry.json');
    expect(recordingFileName(0, 1, 'x'.repeat(500)).length).toBeLessThan(120);
  });

  it('store images only under task ids', () => {
    expect(recordedImagePath('gen_abc123def456', 0)).toBe('images/gen_abc123def456/0.png');
    expect(recordedImagePath('../../x', 0)).toBeUndefined();
    expect(recordedImagePath('gen_abc123def456', -1)).toBeUndefined();
    expect(recordedImagePath('gen_abc123def456', 1.5)).toBeUndefined();
  });

  it('read back what was written, and say why anything else is not an entry', () => {
    expect(parseRecordingEntry(JSON.stringify(exchange))).toEqual({ ok: true, entry: exchange });
    expect(parseRecordingEntry('{')).toEqual({ ok: false, problem: 'not JSON' });
    expect(parseRecordingEntry('{"format":"har/1.2"}')).toEqual({
      ok: false,
      problem: `not a recording of format ${RECORDING_FORMAT} (format: "har/1.2")`,
    });
    const broken = { ...exchange, response: { ...exchange.response, status: 99 } };
    expect(parseRecordingEntry(JSON.stringify(broken))).toEqual({
      ok: false,
      problem: expect.stringMatching(/^response\.status: /),
    });
  });
});
