import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { taskFailedEventFixture } from '@eggapi/contracts/testing';
import { verifyWebhook, type WebhookEvent } from '@eggapi/webhook';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../../test-support/receiver.mjs';
import { startMock, type MockProcess } from './support/mock-process.js';
import { eggapi } from './support/run-cli.js';

const SECRET = 'whsec_trigger_test';

/** A receiver on a free port: verifies each delivery as an app would, answers `status`. */
let receiver: Receiver;
let url: string;
let status = 200;
const received: {
  event?: WebhookEvent;
  error?: string;
  raw: string;
  headers: IncomingMessage['headers'];
}[] = [];

beforeAll(async () => {
  receiver = await startReceiver({
    reply: ({ bytes, body, headers }) => {
      try {
        const event = verifyWebhook({ payload: bytes, headers, secret: SECRET });
        received.push({ event, raw: body, headers });
      } catch (error) {
        received.push({ error: (error as Error).message, raw: body, headers });
      }
      return { status, body: `answered ${status}`, headers: { 'content-type': 'text/plain' } };
    },
  });
  url = receiver.url;
});

afterAll(() => receiver.close());

/** Flags that send nowhere (nothing listens on port 1): a refused event never gets that far. */
const UNREACHABLE_SIGNED = ['--to', 'http://127.0.0.1:1/', '--secret', SECRET];

const trigger = (...args: string[]) => eggapi(['webhooks', 'trigger', ...args]);

describe('eggapi webhooks trigger', () => {
  it('sends a signed task.completed the receiver verifies, and prints its answer', async () => {
    received.length = 0;
    status = 200;
    const result = await trigger('task.completed', '--to', url, '--secret', SECRET);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe('200 OK\nanswered 200\n');
    expect(received).toHaveLength(1);
    const [{ event, headers }] = received as [(typeof received)[number]];
    expect(event).toMatchObject({ event: 'task.completed', status: 'completed' });
    expect(Math.abs(event!.timestamp - Date.now() / 1000)).toBeLessThan(60);
    expect(headers['content-type']).toBe('application/json');
  });

  it('takes --task-id and --set overrides (text for string members, JSON for the others)', async () => {
    received.length = 0;
    const result = await trigger(
      'task.failed',
      '--to',
      url,
      '--secret',
      SECRET,
      '--task-id',
      'gen_trigger1',
      '--set',
      'error=generation failed: no eggs',
      '--set',
      'cost=0.020000',
      '--set',
      'output={"urls":["https://x.test/0.png"]}',
    );
    expect(result.code).toBe(0);
    expect(received[0]!.event).toMatchObject({
      event: 'task.failed',
      task_id: 'gen_trigger1',
      error: 'generation failed: no eggs',
      cost: '0.020000',
      output: { urls: ['https://x.test/0.png'] },
    });
  });

  it('sends a full payload from --data as it is', async () => {
    received.length = 0;
    const dir = mkdtempSync(join(tmpdir(), 'eggapi-trigger-'));
    try {
      const payload = taskFailedEventFixture({ task_id: 'gen_fromfile', timestamp: 1 });
      writeFileSync(join(dir, 'event.json'), JSON.stringify(payload));
      const result = await trigger(
        'task.failed',
        '--to',
        url,
        '--secret',
        SECRET,
        '--data',
        join(dir, 'event.json'),
      );
      // Sent as it is (its own timestamp kept); the signature's timestamp is now.
      expect(result.code).toBe(0);
      expect(received[0]!.event).toEqual(payload);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 on a non-2xx answer, still printing it', async () => {
    status = 500;
    const result = await trigger('task.completed', '--to', url, '--secret', SECRET);
    status = 200;
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('500 Internal Server Error\nanswered 500\n');
    expect(result.stderr).toMatch(/the receiver answered 500/);
  });

  it('exits 1 when nothing answers', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await trigger(
      'task.completed',
      '--to',
      `http://127.0.0.1:${port}/`,
      '--secret',
      SECRET,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no answer from http:\/\/127\.0\.0\.1:\d+\/: ECONNREFUSED/);
  });

  it.each([
    [['task.created', ...UNREACHABLE_SIGNED], /event must be one of/],
    [['task.completed', '--to', 'ftp://x/', '--secret', SECRET], /--to must be an http\(s\) URL/],
    [['task.completed', '--to', 'not a url', '--secret', SECRET], /--to must be an http\(s\) URL/],
    [['task.completed', ...UNREACHABLE_SIGNED, '--task-id', '../x'], /--task-id/],
    [['task.completed', ...UNREACHABLE_SIGNED, '--set', 'noequals'], /--set takes path=value/],
    [['task.completed', ...UNREACHABLE_SIGNED, '--set', '__proto__.x=1'], /--set takes path=value/],
    [
      ['task.completed', ...UNREACHABLE_SIGNED, '--set', 'timestamp=soon'],
      /not one EggAPI sends \(at timestamp\)/,
    ],
    [
      ['task.completed', ...UNREACHABLE_SIGNED, '--data', '/nonexistent/e.json'],
      /--data: cannot read/,
    ],
    [['task.completed', '--to', 'http://127.0.0.1:1/', '--secret', ' padded'], /secret/],
  ])('refuses %j as usage (exit 2), sending nothing', async (args, message) => {
    received.length = 0;
    const result = await trigger(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(received).toEqual([]);
  });
});

describe('eggapi webhooks trigger --from-task', () => {
  const ADMIN_TOKEN = 'admin_trigger_test';
  let mock: MockProcess;
  beforeAll(async () => {
    mock = await startMock({ webhookSecret: SECRET, adminToken: ADMIN_TOKEN });
  });
  afterAll(() => mock.close());

  const createTask = async (body: object) => {
    const answer = await fetch(`${mock.url}/v1/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${mock.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'nanobanana', prompt: 'a trigger test', ...body }),
    });
    expect(answer.status).toBe(202);
    return ((await answer.json()) as { data: { id: string } }).data.id;
  };
  const fromTask = (event: string, id: string, ...args: string[]) =>
    eggapi(
      ['webhooks', 'trigger', event, '--from-task', id, '--to', url, '--secret', SECRET, ...args],
      { mock, env: { EGGAPI_ADMIN_TOKEN: ADMIN_TOKEN } },
    );

  it("sends the very bytes the mock's own delivery of the task carried", async () => {
    received.length = 0;
    status = 200;
    const id = await createTask({ webhook_url: url });
    const deliveries = async () =>
      (await mock.admin('GET', `/webhooks?task_id=${id}`)) as { state: string; body: string }[];
    await expect.poll(async () => (await deliveries())[0]?.state).toBe('succeeded');
    const [delivery] = await deliveries();
    received.length = 0;
    const result = await fromTask('task.completed', id);
    expect(result).toMatchObject({ code: 0, stdout: '200 OK\nanswered 200\n', stderr: '' });
    expect(received).toHaveLength(1);
    expect(received[0]!.raw).toBe(delivery!.body);
    expect(received[0]!.event).toMatchObject({ event: 'task.completed', task_id: id });
  });

  it('sends the event of a task that had no webhook_url, with --set on top', async () => {
    received.length = 0;
    await mock.admin('PATCH', '/config', { timing: { queueMs: 600_000, processingMs: 0 } });
    const id = await createTask({});
    await mock.admin('PATCH', '/config', { timing: 'instant' });
    await mock.admin('POST', `/tasks/${id}/fail`, { error: 'generation failed: no eggs' });
    const result = await fromTask('task.failed', id, '--set', 'error=generation failed: set');
    expect(result.code).toBe(0);
    expect(received[0]!.event).toMatchObject({
      event: 'task.failed',
      task_id: id,
      status: 'failed',
      error: 'generation failed: set',
    });
  });

  it('refuses a task that has not ended, or ended otherwise, sending nothing', async () => {
    received.length = 0;
    await mock.admin('PATCH', '/config', { timing: { queueMs: 600_000, processingMs: 0 } });
    const pending = await createTask({});
    await mock.admin('PATCH', '/config', { timing: 'instant' });
    const early = await fromTask('task.completed', pending);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain(
      `the mock answered 409 CONFLICT: task ${pending} has not ended (it is pending): it has no webhook event yet`,
    );
    await mock.admin('POST', `/tasks/${pending}/complete`);
    const other = await fromTask('task.failed', pending);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(
      `task ${pending} ended with a task.completed event, not task.failed`,
    );
    const unknown = await fromTask('task.completed', 'gen_nosuchtask1');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      'the mock answered 404 NOT_FOUND: task gen_nosuchtask1 not found',
    );
    expect(received).toEqual([]);
  });

  it('names the admin token the mock asks for', async () => {
    const id = await createTask({});
    const result = await eggapi(
      ['webhooks', 'trigger', 'task.completed', '--from-task', id, '--to', url, '--secret', SECRET],
      { mock, env: { EGGAPI_ADMIN_TOKEN: undefined } },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /refused its admin route \(401.*--admin-token or EGGAPI_ADMIN_TOKEN/,
    );
  });

  it.each([
    [['--data', '/nonexistent/e.json'], /--from-task cannot be combined with --data/],
    [['--task-id', 'gen_abcdefabcdef'], /--from-task cannot be combined with --task-id/],
  ])('refuses --from-task with %j (exit 2)', async (args, message) => {
    const result = await fromTask('task.completed', 'gen_abcdefabcdef', ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('refuses an id that is not a task id before asking anyone', async () => {
    const result = await fromTask('task.completed', '../../etc');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--from-task: not a task id: "../../etc"');
  });
});

describe('eggapi webhooks trigger --from-task against a server that is not a mock', () => {
  let hostile: Server;
  let base: string;
  beforeAll(async () => {
    hostile = createServer((req, res) => {
      if (req.url!.includes('gen_endless0000')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = () => {
          while (res.write(chunk));
        };
        res.on('drain', pump);
        res.on('close', () => res.off('drain', pump));
        pump();
        return;
      }
      if (req.url!.includes('gen_notanevent0')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: { event: 'task.completed', task_id: '../x' } }));
        return;
      }
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
    });
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    hostile.closeAllConnections();
    return new Promise((resolve) => hostile.close(resolve));
  });

  it.each([
    [
      'gen_plainhtml00',
      /answered 404 without an EggAPI error: --from-task needs --base-url to be an eggapi-mock/,
    ],
    ['gen_endless0000', /answered over 262144 bytes/],
    ['gen_notanevent0', /did not answer a webhook event \(at status\): required/],
  ])('exits 1 on %s, sending nothing', async (id, message) => {
    received.length = 0;
    const result = await eggapi([
      'webhooks',
      'trigger',
      'task.completed',
      '--from-task',
      id,
      '--base-url',
      base,
      ...UNREACHABLE_SIGNED,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(received).toEqual([]);
  });
});
