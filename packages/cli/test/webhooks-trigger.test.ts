import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { taskFailedEventFixture } from '@eggapi/contracts/testing';
import { verifyWebhook, type WebhookEvent } from '@eggapi/webhook';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eggapi } from './support/run-cli.js';

const SECRET = 'whsec_trigger_test';

/** A receiver on a free port: verifies each delivery as an app would, answers `status`. */
let server: Server;
let url: string;
let status = 200;
const received: { event?: WebhookEvent; error?: string; headers: IncomingMessage['headers'] }[] =
  [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      try {
        const event = verifyWebhook({ payload: body, headers: req.headers, secret: SECRET });
        received.push({ event, headers: req.headers });
      } catch (error) {
        received.push({ error: (error as Error).message, headers: req.headers });
      }
      res.writeHead(status, { 'content-type': 'text/plain' }).end(`answered ${status}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/eggapi`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

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
