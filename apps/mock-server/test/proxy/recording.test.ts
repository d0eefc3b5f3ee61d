import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyFingerprint } from '@eggapi/mock-engine';
import { parseRecordingEntry, type RecordedExchange } from '@eggapi/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { startMockServer } from '../../src/index.js';
import { call, validRequest } from '../support/harness.js';
import { completedTask, fakeUpstream, json, proxyTo, realUpstream } from './support.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function recordingDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'eggapi-recording-'));
  dirs.push(dir);
  return dir;
}

function exchanges(dir: string): { name: string; entry: RecordedExchange; text: string }[] {
  return readdirSync(join(dir, 'exchanges'))
    .sort()
    .map((name) => {
      const text = readFileSync(join(dir, 'exchanges', name), 'utf8');
      const parsed = parseRecordingEntry(text);
      if (!parsed.ok || parsed.entry.kind !== 'exchange')
        throw new Error(`${name}: not an exchange`);
      return { name, entry: parsed.entry, text };
    });
}

describe('recording', () => {
  it('writes each exchange as one readable file, the key only as its fingerprint, and each image once', async () => {
    const key = 'sk_live_recorded_key_1234';
    const upstream = await realUpstream({ apiKeys: [key] });
    const dir = recordingDir();
    const proxy = await proxyTo(upstream, { record: dir });
    const client = { url: proxy.url, apiKey: key };
    const created = await call(client, 'POST', '/v1/generate', {
      body: { ...validRequest, num_outputs: 2 },
    });
    const id = created.body.data.id as string;
    const first = await call(client, 'GET', `/v1/tasks/${id}`);
    expect(first.body.data.status).toBe('completed');
    await call(client, 'GET', `/v1/tasks/${id}`);
    await call(client, 'GET', '/v1/tasks?per_page=5');
    await proxy.close();

    const files = exchanges(dir);
    expect(files.map(({ name }) => name.replace(/^\w+-\d+-/, ''))).toEqual([
      'post-v1-generate.json',
      `get-v1-tasks-${id}.json`,
      `get-v1-tasks-${id}.json`,
      'get-v1-tasks.json',
    ]);
    for (const { text } of files) expect(text).not.toContain(key);
    const [create, read, reread, list] = files.map(({ entry }) => entry);
    expect(create).toMatchObject({
      format: 'eggapi-recording/1',
      kind: 'exchange',
      request: {
        method: 'POST',
        path: '/v1/generate',
        query: '',
        key: keyFingerprint(key),
        headers: {
          authorization: `Bearer ${keyFingerprint(key)}`,
          'content-type': 'application/json',
        },
        body: { ...validRequest, num_outputs: 2 },
      },
      response: { status: 202, body: created.body },
      task_id: id,
    });
    expect(create!.response.headers['x-request-id']).toBe(created.headers.get('x-request-id'));
    expect(create!.timing.duration_ms).toBeGreaterThanOrEqual(0);
    expect(read!.response.body).toEqual(first.body);
    expect(read!.images).toEqual([
      { url: first.body.data.output.urls[0], file: `images/${id}/0.png` },
      { url: first.body.data.output.urls[1], file: `images/${id}/1.png` },
    ]);
    expect(reread!.images).toEqual(read!.images);
    expect(list!.request.query).toBe('per_page=5');
    for (const { file } of read!.images!) {
      expect(readFileSync(join(dir, file)).subarray(1, 4).toString()).toBe('PNG');
    }
    // Fetched once, though three answers linked them.
    const imageReads = (await upstream.requests()).filter((r) => r.path.startsWith('/images/'));
    expect(imageReads.map((r) => r.path).sort()).toEqual([
      new URL(read!.images![0]!.url).pathname,
      new URL(read!.images![1]!.url).pathname,
    ]);
    expect(
      readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
        (n) => n.includes('/.') || n.startsWith('.'),
      ),
    ).toEqual([]);
  });

  it('keeps a non-JSON answer as body_text, and records an upstream failure answer too', async () => {
    const upstream = await fakeUpstream((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<h1>Bad Gateway</h1>');
    });
    const dir = recordingDir();
    const proxy = await proxyTo(upstream, { record: dir });
    expect((await call(proxy, 'GET', '/v1/usage')).status).toBe(502);
    await proxy.close();
    const [only] = exchanges(dir);
    expect(only!.entry.response).toEqual({
      status: 502,
      headers: { 'content-type': 'text/html' },
      body_text: '<h1>Bad Gateway</h1>',
    });
  });

  it('never makes an answer wait for an image', async () => {
    const task = await completedTask();
    const images = await fakeUpstream(() => {
      // Never answers.
    });
    const upstream = await fakeUpstream((_req, res) =>
      json(res, 200, {
        data: { ...task, output: { url: `${images.url}/0.png`, urls: [`${images.url}/0.png`] } },
        error: null,
      }),
    );
    const proxy = await proxyTo(upstream, { record: recordingDir() });
    const started = performance.now();
    const answer = await call(proxy, 'GET', `/v1/tasks/${task.id}`);
    expect(answer.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(images.requests).toHaveLength(0);
    await expect.poll(() => images.requests.length).toBe(1);
  });

  it('refuses a record without proxyTo, and a directory it cannot create', async () => {
    await expect(startMockServer({ record: recordingDir() })).rejects.toThrow(
      /invalid mock server options: record: recording needs proxyTo/,
    );
    const file = join(recordingDir(), 'file');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, '');
    await expect(
      startMockServer({ proxyTo: 'http://127.0.0.1:9', record: join(file, 'sub') }),
    ).rejects.toThrow(/invalid mock server options: record: cannot create/);
  });
});
