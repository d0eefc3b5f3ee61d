import { describe, expect, it } from 'vitest';
import { call, mockServer } from '../support/harness.js';
import {
  RECORDED_KEY,
  RECORDED_TASK,
  UPSTREAM,
  useRecordings,
  type RecordingFixture,
} from '../support/recording.js';

const record = useRecordings();
let recording: RecordingFixture;

interface ReadTask {
  status: string;
  started_at: string | null;
  output: { urls: string[] } | null;
}

const poll = async (server: { url: string; apiKey: string }, id = RECORDED_TASK) => {
  const answer = await call<{ data: ReadTask }>(server, 'GET', `/v1/tasks/${id}`);
  expect(answer.status).toBe(200);
  return answer.body.data;
};

describe('replay of a recorded task', () => {
  it('walks the recorded answers one per poll with instant timing, and stays at the last', async () => {
    recording = await record();
    const server = await mockServer({ replay: recording.dir, apiKeys: [RECORDED_KEY] });
    const statuses = [];
    for (let n = 0; n < 4; n += 1) statuses.push((await poll(server)).status);
    expect(statuses).toEqual(['pending', 'processing', 'completed', 'completed']);
    const completed = await poll(server);
    expect(completed.output!.urls).toEqual([`${server.url}/images/${RECORDED_TASK}/0.png`]);
    expect(JSON.stringify(completed)).not.toContain(UPSTREAM);

    const image = await fetch(completed.output!.urls[0]!);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer())).toEqual(recording.png);
    expect((await fetch(`${server.url}/images/${RECORDED_TASK}/1.png`)).status).toBe(404);

    // The journal still records replayed requests.
    const journal = await server.requests({ path: `/v1/tasks/${RECORDED_TASK}` });
    expect(journal.length).toBe(5);
  });

  it('waits the recorded gaps on the virtual clock (realistic timing)', async () => {
    recording = await record();
    const server = await mockServer({
      replay: recording.dir,
      apiKeys: [RECORDED_KEY],
      timing: 'realistic',
      clock: 'virtual',
    });
    // Not yet polled: the created task, as a read.
    expect((await poll(server)).status).toBe('pending');
    await server.advance(499);
    expect((await poll(server)).started_at).toBeNull();
    await server.advance(1); // 500 ms: the first recorded poll (pending)
    expect((await poll(server)).status).toBe('pending');
    await server.advance(999); // the processing answer came 1000 ms later
    expect((await poll(server)).status).toBe('pending');
    await server.advance(1);
    expect((await poll(server)).status).toBe('processing');
    await server.advance(1_500);
    expect((await poll(server)).status).toBe('completed');
  });

  it('scales the recorded gaps to a tenth with fast timing', async () => {
    recording = await record();
    const server = await mockServer({
      replay: recording.dir,
      apiKeys: [RECORDED_KEY],
      timing: 'fast',
      clock: 'virtual',
    });
    await server.advance(50);
    await poll(server); // the first recorded poll
    await server.advance(99);
    expect((await poll(server)).status).toBe('pending');
    await server.advance(1);
    expect((await poll(server)).status).toBe('processing');
  });
});
