import { recordingFileName } from '@eggapi/contracts';
import { describe, expect, it } from 'vitest';
import { call, mockServer } from '../support/harness.js';
import {
  exchange,
  RECORDED_KEY,
  RECORDED_TASK,
  recordedTask,
  T0,
  useRecordings,
  type RecordingFixture,
} from '../support/recording.js';

const record = useRecordings();
let recording: RecordingFixture;

describe('lists and usage in a replay', () => {
  it('answer the latest recorded answer to the same query, image links made local', async () => {
    recording = await record();
    const at = T0 + 5_000;
    const list = exchange(at, 'GET', '/v1/tasks', 200, [recordedTask('completed', at)]);
    list.request.query = 'limit=1&page=1';
    list.response.body = { ...(list.response.body as object), pagination: { page: 1, limit: 1 } };
    list.task_id = null;
    await recording.write(
      `exchanges/${recordingFileName(at, 9, 'get-v1-tasks')}`,
      JSON.stringify(list),
    );
    const server = await mockServer({ replay: recording.dir, apiKeys: [RECORDED_KEY] });
    // The same query in another order is the same query.
    const answer = await call(server, 'GET', '/v1/tasks?page=1&limit=1');
    expect(answer.status).toBe(200);
    expect(answer.body.data[0].output.urls).toEqual([
      `${server.url}/images/${RECORDED_TASK}/0.png`,
    ]);
    expect(answer.body.pagination).toEqual({ page: 1, limit: 1 });

    const other = await call(server, 'GET', '/v1/tasks?page=2&limit=1');
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('NOT_RECORDED');
    expect(other.body.error.message).toContain(
      'query: recorded "limit=1&page=1", got "page=2&limit=1"',
    );
  });
});
