import { keyFingerprint } from '@eggapi/mock-engine';
import { describe, expect, it } from 'vitest';
import { startMockServer } from '../../src/index.js';
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

const OTHER_KEY = 'sk_test_another_key_0002';
const THIRD_KEY = 'sk_test_a_third_key_0003';
const read = (server: { url: string }, key: string) =>
  call({ ...server, apiKey: key }, 'GET', `/v1/tasks/${RECORDED_TASK}`);

describe('replay keys', () => {
  it('shows the recorded tasks only to the key that made them', async () => {
    recording = await record();
    const server = await mockServer({ replay: recording.dir, apiKeys: [OTHER_KEY, RECORDED_KEY] });
    expect((await read(server, RECORDED_KEY)).status).toBe(200);
    const other = await read(server, OTHER_KEY);
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('NOT_FOUND');
    const post = await call({ ...server, apiKey: OTHER_KEY }, 'POST', '/v1/generate', {
      body: { model: 'nanobanana', prompt: RECORDED_PROMPT },
    });
    expect(post.status).toBe(404);
    expect(post.body.error.code).toBe('NOT_RECORDED');
    expect(post.body.error.message).toContain(keyFingerprint(RECORDED_KEY));
  });

  it('maps every configured key to a recorded fingerprint, or one key to one', async () => {
    recording = await record();
    const fingerprint = keyFingerprint(RECORDED_KEY);
    const every = await mockServer({
      replay: recording.dir,
      apiKeys: [OTHER_KEY, THIRD_KEY],
      replayKey: fingerprint,
    });
    expect((await read(every, OTHER_KEY)).status).toBe(200);
    expect((await read(every, THIRD_KEY)).status).toBe(200);

    const one = await mockServer({
      replay: recording.dir,
      apiKeys: [OTHER_KEY, THIRD_KEY],
      replayKey: { [fingerprint]: THIRD_KEY },
    });
    expect((await read(one, THIRD_KEY)).status).toBe(200);
    expect((await read(one, OTHER_KEY)).status).toBe(404);
    // A new task belongs to the key that started it.
    const created = await call({ ...one, apiKey: THIRD_KEY }, 'POST', '/v1/generate', {
      body: { model: 'nanobanana', prompt: RECORDED_PROMPT },
    });
    const id = created.body.data.id;
    expect((await call({ ...one, apiKey: THIRD_KEY }, 'GET', `/v1/tasks/${id}`)).status).toBe(200);
    expect((await call({ ...one, apiKey: OTHER_KEY }, 'GET', `/v1/tasks/${id}`)).status).toBe(404);
  });

  it('refuses a fingerprint the recording does not hold, or an unconfigured key', async () => {
    recording = await record();
    await expect(
      startMockServer({ replay: recording.dir, replayKey: 'sk_l…nope1' }),
    ).rejects.toThrow(/replayKey: no recorded request has the key fingerprint "sk_l…nope1"/);
    await expect(
      startMockServer({
        replay: recording.dir,
        replayKey: { [keyFingerprint(RECORDED_KEY)]: 'sk_not_configured_00' },
      }),
    ).rejects.toThrow(/mapped to a key that is not configured/);
  });
});
