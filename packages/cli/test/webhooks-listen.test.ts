import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRecordingEntry, RECORDING_FORMAT, TaskSchema } from '@eggapi/contracts';
import { taskCompletedEventFixture } from '@eggapi/contracts/testing';
import { signWebhook, verifyWebhook } from '@eggapi/webhook';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startReceiver } from '../../../test-support/receiver.mjs';
import { startHostileServer, type HostileServer, type Route } from './support/hostile-server.js';
import { startMock, type MockProcess } from './support/mock-process.js';
import { ANSI, eggapi, startEggapi } from './support/run-cli.js';
import { tempDir } from '../../../test-support/temp-dir.mjs';

const SECRET = 'whsec_listen_test';

/** A local app (the workspace's receiver): answers with the next of `answers` (then the last). */
function startApp(answers: { status: number; body: string }[]) {
  return startReceiver({
    path: '/eggapi/webhooks',
    reply: (_request, index) => ({
      ...answers[Math.min(index, answers.length - 1)]!,
      headers: { 'content-type': 'application/json' },
    }),
  });
}

/** How long to poll a condition (`expect.poll`, `vi.waitFor`). */
const POLL = { timeout: 15_000, interval: 20 };

let listener: ReturnType<typeof startEggapi> | undefined;
afterEach(async () => {
  await listener?.stop();
  listener = undefined;
});

/** Starts `eggapi webhooks listen --port 0 …` and resolves with its URL once it is ready. */
async function listen(...flags: string[]): Promise<string> {
  listener = startEggapi(['webhooks', 'listen', '--secret', SECRET, '--port', '0', ...flags]);
  const [, url] = await listener.waitFor(
    /^Ready! Listening for EggAPI webhooks on (http:\/\/127\.0\.0\.1:\d+)/m,
  );
  return url!;
}

/** POSTs `body` with `headers` to the listener. */
async function post(url: string, body: string, headers: Record<string, string>) {
  const response = await fetch(`${url}/webhooks`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
  return { status: response.status, text: await response.text() };
}

describe('eggapi webhooks listen (no forwarding)', () => {
  const body = JSON.stringify(taskCompletedEventFixture({ task_id: 'gen_listen1' }));

  it('verifies a delivery, answers 204 and prints event, task, status and "verified"', async () => {
    const url = await listen();
    const answer = await post(url, body, signWebhook(body, SECRET));
    expect(answer.status).toBe(204);
    await listener!.waitFor(/-->/);
    expect(listener!.stdout()).toMatch(
      /^\d\d:\d\d:\d\d {2}--> task\.completed {2}gen_listen1 {2}completed {2}verified$/m,
    );
    expect(listener!.stdout()).not.toMatch(ANSI);
  });

  it('refuses a tampered delivery: 400 with the reason, printed as refused', async () => {
    const url = await listen();
    const answer = await post(
      url,
      body.replace('gen_listen1', 'gen_listen2'),
      signWebhook(body, SECRET),
    );
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ error: { code: 'signature_mismatch' } });
    await listener!.waitFor(/-->/);
    expect(listener!.stdout()).toMatch(
      /--> task\.completed {2}gen_listen2 {2}completed {2}refused: signature_mismatch \(.+\)$/m,
    );
  });

  it('answers 405 to anything but POST, and stops on Ctrl+C with exit 0', async () => {
    const url = await listen();
    expect((await fetch(url)).status).toBe(405);
    const ended = await listener!.stop();
    expect(ended.code).toBe(0);
  });

  it('--port in use: exit 1 naming the port', async () => {
    const url = await listen();
    const port = new URL(url).port;
    const second = await eggapi(['webhooks', 'listen', '--secret', SECRET, '--port', port]);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(`eggapi: port ${port} is in use: pass another with --port\n`);
  });
});

describe('eggapi webhooks listen --forward-to, with deliveries from the mock server', () => {
  let mock: MockProcess;
  beforeAll(async () => {
    mock = await startMock({ webhookSecret: SECRET });
    // Retries after 100 ms instead of 1 s, so that the retry test is quick.
    await mock.admin('PATCH', '/config', { webhooks: { backoffBaseMs: 100 } });
  });
  afterAll(() => mock?.close());

  it('forwards a real signed delivery with its exact body and headers and prints the app’s answer', async () => {
    const app = await startApp([{ status: 200, body: '{"received":true}' }]);
    try {
      const url = await listen('--forward-to', app.url);
      const result = await eggapi(
        ['generate', 'A webhook fox', '--webhook-url', `${url}/webhooks`, '--wait', '--json'],
        { mock },
      );
      const task = TaskSchema.parse(JSON.parse(result.stdout));
      await expect.poll(() => app.received.length, POLL).toBeGreaterThan(0);
      await listener!.waitFor(/<--/);

      const [got] = app.received;
      // The exact bytes the mock sent and signed (its delivery log keeps them). The attempt's
      // outcome is recorded once the listener's answer is back at the mock: wait for that.
      const deliveryOf = async () =>
        (await mock.admin('GET', `/webhooks?task_id=${task.id}`))[0] as {
          body: string;
          attempts: { status?: number }[];
        };
      await expect
        .poll(async () => (await deliveryOf()).attempts.map((a) => a.status), POLL)
        .toEqual([200]);
      const delivery = await deliveryOf();
      expect(got!.body).toBe(delivery.body);
      expect(got!.url).toBe('/eggapi/webhooks');
      // Its signature still verifies at the app: the headers came through unchanged.
      const event = verifyWebhook({ payload: got!.bytes, headers: got!.headers, secret: SECRET });
      expect(event).toMatchObject({ event: 'task.completed', task_id: task.id });
      expect(got!.headers['content-type']).toBe('application/json');
      expect(got!.headers.host).toBe(new URL(app.url).host);

      const out = listener!.stdout();
      expect(out).toMatch(
        new RegExp(`--> task\\.completed {2}${task.id} {2}completed {2}verified`),
      );
      expect(out).toMatch(
        new RegExp(
          `<-- \\[200\\] POST ${app.url.replace(/[.]/g, '\\.')} {2}\\d+ ms {2}\\{"received":true\\}`,
        ),
      );
      expect(delivery.attempts.map((a) => a.status)).toEqual([200]);
    } finally {
      await app.close();
    }
  });

  it('relays the app’s status to the sender: a 503 from the app makes the mock retry', async () => {
    const app = await startApp([
      { status: 503, body: '{"busy":true}' },
      { status: 202, body: '{"ok":true}' },
    ]);
    try {
      const url = await listen('--forward-to', app.url);
      const result = await eggapi(
        ['generate', 'A retried fox', '--webhook-url', `${url}/webhooks`, '--json'],
        { mock },
      );
      const { id } = JSON.parse(result.stdout) as { id: string };
      await expect.poll(() => app.received.length, POLL).toBeGreaterThanOrEqual(2);
      await listener!.waitFor(/<-- \[202\]/);
      expect(listener!.stdout()).toMatch(/<-- \[503\] POST .+ {2}\{"busy":true\}\n[^]*<-- \[202\]/);
      // The mock records the second attempt once the listener has relayed the app's 202.
      const attempts = await vi.waitFor(async () => {
        const [delivery] = await mock.admin('GET', `/webhooks?task_id=${id}`);
        expect(delivery.state).toBe('succeeded');
        return delivery.attempts.map((a: { status?: number }) => a.status) as number[];
      }, POLL);
      expect(attempts).toEqual([503, 202]);
      // Both attempts carried the same bytes.
      expect(app.received[0]!.bytes.equals(app.received[1]!.bytes)).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('an app that cannot be reached: the delivery is printed, then the failure, and the sender gets 502', async () => {
    const app = await startApp([{ status: 200, body: '' }]);
    await app.close();
    const url = await listen('--forward-to', app.url);
    const body = JSON.stringify(taskCompletedEventFixture());
    const answer = await post(url, body, signWebhook(body, SECRET));
    expect(answer.status).toBe(502);
    await listener!.waitFor(/<--/);
    expect(listener!.stdout()).toMatch(
      /--> task\.completed .+ verified\n.+<-- failed: POST .+ECONNREFUSED/,
    );
  });

  it('forwards a refused delivery too (the app decides), after printing why it was refused', async () => {
    const app = await startApp([{ status: 400, body: '{"error":"bad signature"}' }]);
    try {
      const url = await listen('--forward-to', app.url);
      const body = JSON.stringify(taskCompletedEventFixture());
      const answer = await post(url, body, signWebhook(body, 'whsec_someone_else'));
      expect(answer).toEqual({ status: 400, text: '{"error":"bad signature"}' });
      await listener!.waitFor(/<--/);
      expect(listener!.stdout()).toMatch(/refused: signature_mismatch .+\n.+<-- \[400\] POST/);
      expect(app.received).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});

describe('eggapi webhooks listen --forward-to: the whole answer within --forward-timeout', () => {
  const body = JSON.stringify(taskCompletedEventFixture({ task_id: 'gen_slow' }));
  const PATH = '/eggapi/webhooks';
  let app: HostileServer | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  /**
   * An app that answers 200 and then one byte of its body every `everyMs`, `count` bytes in
   * all (for ever without `count`). Resolves `closed` when the connection to it ends.
   */
  function trickle(everyMs: number, count = Infinity) {
    let closed!: () => void;
    const ended = new Promise<void>((resolve) => (closed = resolve));
    const route: Route = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      let sent = 0;
      const timer = setInterval(() => {
        res.write('.');
        if (++sent >= count) {
          clearInterval(timer);
          res.end();
        }
      }, everyMs);
      res.on('close', () => {
        clearInterval(timer);
        closed();
      });
    };
    return { route, ended };
  }

  it('an app that trickles its answer (1 byte / 100 ms) past the deadline: the sender gets 504, the app is cut off', async () => {
    const { route, ended } = trickle(100);
    app = await startHostileServer({ [`POST ${PATH}`]: route });
    const url = await listen('--forward-to', `${app.url}${PATH}`, '--forward-timeout', '1');
    const started = performance.now();
    const answer = await post(url, body, signWebhook(body, SECRET));
    const ms = performance.now() - started;
    expect(answer).toEqual({
      status: 504,
      text: 'could not forward: no complete answer within 1 s (--forward-timeout)',
    });
    expect(ms).toBeGreaterThanOrEqual(1_000);
    await ended;
    await listener!.waitFor(/<--/);
    expect(listener!.stdout()).toMatch(
      /--> task\.completed {2}gen_slow {2}completed {2}verified\n.+<-- failed: POST http:\/\/127\.0\.0\.1:\d+\/eggapi\/webhooks: no complete answer within 1 s \(--forward-timeout\)$/m,
    );
  });

  it('an app that never answers: 504 at the deadline', async () => {
    app = await startHostileServer({ [`POST ${PATH}`]: () => undefined });
    const url = await listen('--forward-to', `${app.url}${PATH}`, '--forward-timeout', '0.5');
    const answer = await post(url, body, signWebhook(body, SECRET));
    expect(answer).toEqual({
      status: 504,
      text: 'could not forward: no complete answer within 0.5 s (--forward-timeout)',
    });
  });

  it('a slow answer that ends within the deadline is relayed whole', async () => {
    app = await startHostileServer({ [`POST ${PATH}`]: trickle(50, 5).route });
    const url = await listen('--forward-to', `${app.url}${PATH}`, '--forward-timeout', '20');
    const answer = await post(url, body, signWebhook(body, SECRET));
    expect(answer).toEqual({ status: 200, text: '.....' });
  });

  it.each(['0', '-1', 'soon', '', 'Infinity', '2147484'])(
    '--forward-timeout %j: usage error, exit 2',
    async (value) => {
      const result = await eggapi([
        'webhooks',
        'listen',
        '--secret',
        SECRET,
        '--port',
        '0',
        '--forward-to',
        'http://127.0.0.1:9/',
        '--forward-timeout',
        value,
      ]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(
        `option '--forward-timeout <s>' argument '${value}' is invalid. must be a number of seconds above 0, at most 2147483`,
      );
    },
  );
});

describe('eggapi webhooks listen --record <dir>', () => {
  /** The entry files under `<dir>/webhooks`, in name order, once there are `count` of them. */
  async function recorded(dir: string, count: number): Promise<string[]> {
    const list = () => {
      try {
        return readdirSync(join(dir, 'webhooks')).filter((name) => !name.startsWith('.'));
      } catch {
        return [];
      }
    };
    await expect.poll(() => list().length, POLL).toBeGreaterThanOrEqual(count);
    return list().sort();
  }

  const read = (dir: string, name: string) =>
    parseRecordingEntry(readFileSync(join(dir, 'webhooks', name), 'utf8'));

  it('stores a delivery as a recording entry, headers and exact body, and still answers 204', async () => {
    const dir = join(tempDir('listen-record-'), 'recording');
    const url = await listen('--record', dir);
    await listener!.waitFor(/^Recording every delivery in .+\/recording\/webhooks$/m);
    const body = JSON.stringify(taskCompletedEventFixture({ task_id: 'gen_rec1' }), null, 1);
    const signature = signWebhook(body, SECRET);
    const before = Date.now();
    expect((await post(url, body, signature)).status).toBe(204);

    const [name] = await recorded(dir, 1);
    expect(name).toMatch(/^\d{8}T\d{9}Z-000001-task-completed-gen_rec1\.json$/);
    const parsed = read(dir, name!);
    expect(parsed).toMatchObject({
      ok: true,
      entry: {
        format: RECORDING_FORMAT,
        kind: 'webhook',
        raw_body: body,
        body: JSON.parse(body),
        task_id: 'gen_rec1',
        headers: {
          'content-type': 'application/json',
          'x-eggapi-timestamp': signature['X-EggAPI-Timestamp'],
          'x-eggapi-signature': signature['X-EggAPI-Signature'],
        },
      },
    });
    if (!parsed.ok || parsed.entry.kind !== 'webhook') throw new Error('not a webhook entry');
    const { entry } = parsed;
    expect(Date.parse(entry.recorded_at)).toBeGreaterThanOrEqual(before - 1000);
    // The stored headers still verify the stored body: the recording is what arrived.
    expect(
      verifyWebhook({ payload: entry.raw_body, headers: entry.headers, secret: SECRET }),
    ).toMatchObject({ task_id: 'gen_rec1' });
  });

  it('stores every delivery, refused ones and non-JSON too, in time order', async () => {
    const dir = tempDir('listen-record-');
    const url = await listen('--record', dir);
    const ids = ['gen_order1', 'gen_order2', 'gen_order3'];
    for (const id of ids) {
      const body = JSON.stringify(taskCompletedEventFixture({ task_id: id }));
      await post(url, body, signWebhook(body, id === 'gen_order2' ? 'whsec_other' : SECRET));
    }
    await post(url, 'not json', {});
    const names = await recorded(dir, 4);
    const entries = names.map((name) => read(dir, name));
    expect(
      entries.map((e) => (e.ok && e.entry.kind === 'webhook' ? e.entry.task_id : 'bad')),
    ).toEqual([...ids, null]);
    expect(names[3]).toMatch(/-000004-webhook\.json$/);
    expect(entries[3]).toMatchObject({ ok: true, entry: { raw_body: 'not json' } });
    expect(entries[3]!.ok && 'body' in entries[3]!.entry).toBe(false);
  });

  it('a hostile event or task id never becomes a path', async () => {
    const dir = tempDir('listen-record-');
    const url = await listen('--record', dir);
    const body = JSON.stringify({ event: '../../../../tmp/x', task_id: '../../etc/passwd' });
    expect((await post(url, body, signWebhook(body, SECRET))).status).toBe(400);
    const [name] = await recorded(dir, 1);
    expect(readdirSync(dir)).toEqual(['webhooks']);
    expect(name).toMatch(/^\d{8}T\d{9}Z-000001-tmp-x\.json$/);
    expect(read(dir, name!)).toMatchObject({ ok: true, entry: { task_id: null } });
  });

  it('a directory it cannot write: said once on stderr, and the listener goes on', async () => {
    const file = join(tempDir('listen-record-'), 'a-file');
    writeFileSync(file, '');
    const url = await listen('--record', join(file, 'recording'));
    const body = JSON.stringify(taskCompletedEventFixture({ task_id: 'gen_unwritable' }));
    for (let i = 0; i < 2; i += 1) {
      expect((await post(url, body, signWebhook(body, SECRET))).status).toBe(204);
    }
    await expect.poll(() => listener!.stderr(), POLL).toContain('\n');
    await listener!.waitFor(/(--> .*\n.*){2}/);
    const ended = await listener!.stop();
    expect(ended.code).toBe(0);
    expect(ended.stderr).toMatch(
      /^eggapi: could not record a delivery in .+a-file\/recording\/webhooks: ENOTDIR: .+ \(the listener goes on; later recording failures are not reported\)\n$/,
    );
  });

  it('--record with no directory: usage error, exit 2', async () => {
    const result = await eggapi(['webhooks', 'listen', '--secret', SECRET, '--record', '']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--record needs a directory');
  });
});
