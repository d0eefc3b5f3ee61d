import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EggAPI } from '@eggapi/client';
import { startMockServer, type MockServer } from '@eggapi/mock-server';
import { verifyWebhook } from '@eggapi/webhook';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test-support/temp-dir.mjs';

// The README's "Against the real service" loop, end to end, with a mock on loopback standing in
// for the real service: record through the validating proxy (and `eggapi webhooks listen
// --record`), check the recording for drift, then replay it.
const CONFORMANCE_BIN = fileURLToPath(new URL('../bin/eggapi-conformance.mjs', import.meta.url));
// The CLI is run as a user runs it (Nx builds it first: a task dependency, no import edge).
const EGGAPI_BIN = fileURLToPath(new URL('../../cli/bin/eggapi.mjs', import.meta.url));
const UPSTREAM_SECRET = 'whsec_upstream';
const REPLAY_SECRET = 'whsec_replay';
const REQUEST = { model: 'nanobanana', prompt: 'a heron at dawn' } as const;

const running: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((close) => close()));
});

async function mock(options: Parameters<typeof startMockServer>[0]): Promise<MockServer> {
  const server = await startMockServer(options);
  running.push(() => server.close({ abandon: true }));
  return server;
}

/** `eggapi webhooks listen --record <dir>`: resolves with the URL it listens on. */
async function listen(dir: string): Promise<string> {
  const child: ChildProcess = spawn(
    process.execPath,
    [EGGAPI_BIN, 'webhooks', 'listen', '--secret', UPSTREAM_SECRET, '--port', '0', '--record', dir],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  running.push(async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += String(chunk);
      const match = /Listening for EggAPI webhooks on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += String(chunk)));
    child.once('exit', (code) => reject(new Error(`listen exited ${code}: ${output}`)));
  });
}

function conformance(args: string[]): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, [CONFORMANCE_BIN, ...args], { stdio: 'pipe' });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += String(chunk)));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout })));
}

/** A receiver on a free port that keeps each delivery's raw body and headers. */
async function receiver() {
  const received: { body: string; headers: IncomingMessage['headers'] }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  running.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

const files = (dir: string) => readdirSync(dir).filter((name) => !name.startsWith('.'));

describe('against the real service: record, check for drift, replay', () => {
  it('records a lifecycle through the proxy, passes the drift check, and replays it', async () => {
    const dir = tempDir('eggapi-recording-');
    const upstream = await mock({ webhookSecret: UPSTREAM_SECRET, timing: 'instant' });
    const hook = await listen(dir);
    const proxy = await startMockServer({ proxyTo: upstream.url, record: dir });

    const client = new EggAPI({ apiKey: upstream.apiKey, baseURL: proxy.url });
    const task = await client.generate({ ...REQUEST, webhook_url: hook });
    const done = await client.tasks.get(task.id);
    expect(done.status).toBe('completed');
    expect(done.output?.url).toMatch(new RegExp(`^${upstream.url}/images/`));
    await expect.poll(() => files(join(dir, 'webhooks')).length).toBe(1);
    await proxy.close();

    expect(files(join(dir, 'exchanges'))).toHaveLength(2);
    expect(files(join(dir, 'images', task.id))).toEqual(['0.png']);
    const recorded = readdirSync(join(dir, 'exchanges')).map((name) =>
      readFileSync(join(dir, 'exchanges', name), 'utf8'),
    );
    expect(recorded.join('')).not.toContain(upstream.apiKey);

    const drift = await conformance(['--against-recording', dir]);
    expect(drift.code, drift.stdout).toBe(0);

    // A recording edited by hand (or a service that changed) fails the check.
    const tampered = tempDir('eggapi-tampered-');
    cpSync(dir, tampered, { recursive: true });
    const [, poll] = files(join(tampered, 'exchanges')).sort();
    const pollFile = join(tampered, 'exchanges', poll!);
    writeFileSync(pollFile, readFileSync(pollFile, 'utf8').replace('"completed"', '"done"'));
    const failed = await conformance(['--against-recording', tampered]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('undocumented status "done"');

    const app = await receiver();
    const replay = await mock({
      replay: dir,
      apiKeys: [upstream.apiKey],
      webhookSecret: REPLAY_SECRET,
      timing: 'instant',
    });
    const replayed = new EggAPI({ apiKey: upstream.apiKey, baseURL: replay.url });
    // Polled as it was recorded: the one poll found it completed.
    const walked = await replayed.tasks.get(task.id);
    expect(walked).toMatchObject({ id: task.id, status: 'completed' });
    expect(walked.output!.url).toBe(`${replay.url}/images/${task.id}/0.png`);
    const image = await fetch(walked.output!.url!);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer())).toEqual(
      readFileSync(join(dir, 'images', task.id, '0.png')),
    );

    const again = await replayed.generate({ ...REQUEST, webhook_url: app.url });
    expect(again.id).not.toBe(task.id);
    await expect.poll(() => app.received.length).toBe(1);
    const event = verifyWebhook({
      payload: app.received[0]!.body,
      headers: app.received[0]!.headers,
      secret: REPLAY_SECRET,
    });
    expect(event).toMatchObject({ event: 'task.completed', task_id: again.id });
    await expect(
      replayed.generate({ model: 'nanobanana', prompt: 'a prompt nobody recorded' }),
    ).rejects.toMatchObject({ status: 404, code: 'NOT_RECORDED' });
  });
});
