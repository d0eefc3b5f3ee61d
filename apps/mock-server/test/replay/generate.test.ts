import { verifyWebhook } from '@eggapi/webhook';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, mockServer } from '../support/harness.js';
import { startReceiver } from '../support/receiver.js';
import {
  RECORDED_KEY,
  RECORDED_PROMPT,
  RECORDED_TASK,
  useRecordings,
  type RecordingFixture,
} from '../support/recording.js';

const record = useRecordings();
let recording: RecordingFixture;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

const SECRET = 'whsec_replay_test';

describe('a POST matching a recording', () => {
  it('starts a new task replaying that life, with a signed webhook carrying the recorded payload', async () => {
    recording = await record();
    const receiver = await startReceiver();
    cleanups.push(receiver.close);
    const server = await mockServer({
      replay: recording.dir,
      apiKeys: [RECORDED_KEY],
      webhookSecret: SECRET,
    });
    const before = Date.now();
    const created = await call(server, 'POST', '/v1/generate', {
      body: { model: 'nanobanana', prompt: RECORDED_PROMPT, webhook_url: receiver.url },
    });
    expect(created.status).toBe(202);
    const id: string = created.body.data.id;
    expect(id).toMatch(/^gen_/);
    expect(id).not.toBe(RECORDED_TASK);
    expect(created.body.data.status).toBe('pending');
    expect(Date.parse(created.body.data.created_at)).toBeGreaterThanOrEqual(before - 1_000);

    await vi.waitFor(() => expect(receiver.received).toHaveLength(1), { timeout: 10_000 });
    const [delivery] = receiver.received;
    const event = verifyWebhook({
      payload: delivery!.body,
      headers: delivery!.headers,
      secret: SECRET,
    });
    expect(event).toMatchObject({
      event: 'task.completed',
      task_id: id,
      status: 'completed',
      model: 'nanobanana',
      output: { urls: [`${server.url}/images/${id}/0.png`] },
      cost: '0.010000',
    });
    // Its end has come: a poll reads the last recorded answer, under the new id.
    const read = await call(server, 'GET', `/v1/tasks/${id}`);
    expect(read.body.data).toMatchObject({ id, status: 'completed' });
    const image = await fetch(`${server.url}/images/${id}/0.png`);
    expect(Buffer.from(await image.arrayBuffer())).toEqual(recording.png);
  });

  it('without webhook_url walks the recorded answers per poll; Idempotency-Key gives the same task', async () => {
    recording = await record();
    const server = await mockServer({ replay: recording.dir, apiKeys: [RECORDED_KEY] });
    const body = { prompt: RECORDED_PROMPT, model: 'nanobanana' };
    const headers = { 'idempotency-key': 'replay-once' };
    const created = await call(server, 'POST', '/v1/generate', { body, headers });
    const id: string = created.body.data.id;
    const again = await call(server, 'POST', '/v1/generate', { body, headers });
    expect(again.body.data.id).toBe(id);
    const conflict = await call(server, 'POST', '/v1/generate', {
      body: { ...body, prompt: 'another' },
      headers,
    });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('IDEMPOTENCY_CONFLICT');

    const statuses = [];
    for (let n = 0; n < 3; n += 1) {
      statuses.push((await call(server, 'GET', `/v1/tasks/${id}`)).body.data.status);
    }
    expect(statuses).toEqual(['pending', 'processing', 'completed']);
    // The recorded task itself is untouched by the new one's polls.
    expect((await call(server, 'GET', `/v1/tasks/${RECORDED_TASK}`)).body.data.status).toBe(
      'pending',
    );
  });

  it('sends the webhook at the recorded end on the virtual clock', async () => {
    recording = await record();
    const receiver = await startReceiver();
    cleanups.push(receiver.close);
    const server = await mockServer({
      replay: recording.dir,
      apiKeys: [RECORDED_KEY],
      timing: 'realistic',
      clock: 'virtual',
    });
    const created = await call(server, 'POST', '/v1/generate', {
      body: { model: 'nanobanana', prompt: RECORDED_PROMPT, webhook_url: receiver.url },
    });
    const id: string = created.body.data.id;
    await server.advance(2_899);
    expect((await call(server, 'GET', `/v1/tasks/${id}`)).body.data.status).toBe('pending');
    expect(receiver.received).toHaveLength(0);
    await server.advance(1); // the recorded webhook arrived 2900 ms after the POST
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1), { timeout: 10_000 });
    const payload = JSON.parse(receiver.received[0]!.body);
    expect(payload.task_id).toBe(id);
    expect(receiver.received[0]!.headers['x-eggapi-signature']).toBeUndefined();
    expect((await call(server, 'GET', `/v1/tasks/${id}`)).body.data.status).toBe('completed');
  });
});
