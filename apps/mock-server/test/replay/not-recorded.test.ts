import { describe, expect, it } from 'vitest';
import { call, mockServer } from '../support/harness.js';
import {
  RECORDED_KEY,
  RECORDED_PROMPT,
  RECORDED_TASK,
  useRecordings,
  type RecordingFixture,
} from '../support/recording.js';

const record = useRecordings();
let recording: RecordingFixture;

describe('a request no recording answers', () => {
  it('is 404 NOT_RECORDED naming the nearest recording and what differs', async () => {
    recording = await record();
    const server = await mockServer({ replay: recording.dir, apiKeys: [RECORDED_KEY] });
    const answer = await call(server, 'POST', '/v1/generate', {
      body: { model: 'nanobanana', prompt: 'A blue fox in the snow' },
    });
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ data: null, error: { code: 'NOT_RECORDED' } });
    const { message, details } = answer.body.error;
    expect(message).toContain(recording.files[0]);
    expect(message).toContain(
      `prompt: recorded "${RECORDED_PROMPT}", got "A blue fox in the snow"`,
    );
    expect(details).toEqual([
      { path: 'prompt', message: `recorded "${RECORDED_PROMPT}", got "A blue fox in the snow"` },
    ]);

    const usage = await call(server, 'GET', '/v1/usage');
    expect(usage.status).toBe(404);
    expect(usage.body.error).toMatchObject({
      code: 'NOT_RECORDED',
      message: 'nothing recorded answers GET /v1/usage',
    });
    // The journal records it with its code.
    const [entry] = await server.requests({ path: '/v1/usage' });
    expect(entry).toMatchObject({ status: 404 });
  });

  it('goes to the ordinary mock with replayFallback: mock', async () => {
    recording = await record();
    const server = await mockServer({
      replay: recording.dir,
      apiKeys: [RECORDED_KEY],
      replayFallback: 'mock',
    });
    const created = await call(server, 'POST', '/v1/generate', {
      body: { model: 'nanobanana', prompt: 'A blue fox in the snow' },
    });
    expect(created.status).toBe(202);
    const id = created.body.data.id;
    const read = await call(server, 'GET', `/v1/tasks/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.data.status).toBe('completed'); // the mock's own instant lifecycle
    expect((await call(server, 'GET', '/v1/usage')).status).toBe(200);
    // The recording still answers what it holds.
    expect((await call(server, 'GET', `/v1/tasks/${RECORDED_TASK}`)).body.data.id).toBe(
      RECORDED_TASK,
    );
  });
});
