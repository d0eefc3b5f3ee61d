import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnMockProcess, type MockProcessHandle } from '../../../test-support/mock-process.mjs';
import { RECORDED_KEY, RECORDED_TASK, writeRecording } from './support/recording.js';

const running: MockProcessHandle[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((cli) => cli.kill()));
});

/** Spawns the built CLI (the workspace's process harness); `url` is the base URL it prints. */
function start(args: string[], env: Record<string, string> = {}) {
  const cli = spawnMockProcess({ args, env: { LOG_LEVEL: 'warn', ...env } });
  running.push(cli);
  return { child: cli.child, url: cli.url, exit: cli.exit, output: cli.stdout };
}

/** Every file of the package's bin/ and dist/ with its size and modification time. */
function listing(): string[] {
  const root = fileURLToPath(new URL('..', import.meta.url));
  return ['bin', 'dist'].flatMap((dir) =>
    readdirSync(`${root}/${dir}`, { recursive: true, encoding: 'utf8' })
      .sort()
      .map((name) => {
        const stat = statSync(`${root}/${dir}/${name}`);
        return `${dir}/${name} ${stat.size} ${stat.mtimeMs}`;
      }),
  );
}

describe('the eggapi-mock CLI', () => {
  it('serves the API, printing the base URL, the key and a working curl line', async () => {
    const cli = start(['--port', '0', '--timing', 'instant', '--api-key', 'sk_cli']);
    const url = await cli.url;
    expect(cli.output()).toContain('API key:        sk_cli');
    expect(cli.output()).toContain(`Console:        ${url}/console/\n`);
    const curl =
      /curl -X POST (\S+) -H "Authorization: Bearer (\S+)" -H "Content-Type: application\/json" -d '(.+)'/.exec(
        cli.output(),
      );
    expect(curl).not.toBeNull();
    const response = await fetch(curl![1]!, {
      method: 'POST',
      headers: { authorization: `Bearer ${curl![2]}`, 'content-type': 'application/json' },
      body: curl![3],
    });
    expect(response.status).toBe(202);
    expect(curl![1]).toBe(`${url}/v1/generate`);
  });

  it('serves PNG outputs, rendered by the worker beside the bundle', async () => {
    const cli = start(['--port', '0', '--timing', 'instant']);
    const url = await cli.url;
    const headers = { authorization: 'Bearer sk_test_eggapi', 'content-type': 'application/json' };
    const created = await fetch(`${url}/v1/generate`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: 'nanobanana', prompt: 'a fox', resolution: '2k' }),
    }).then((response) => response.json() as Promise<{ data: { id: string } }>);
    const task = await fetch(`${url}/v1/tasks/${created.data.id}`, { headers }).then(
      (response) => response.json() as Promise<{ data: { output: { urls: string[] } } }>,
    );
    const image = await fetch(task.data.output.urls[0]!);
    expect(image.status).toBe(200);
    const png = Buffer.from(await image.arrayBuffer());
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.readUInt32BE(16)).toBe(2048); // IHDR width
  });

  it('takes its settings from the environment', async () => {
    const cli = start([], {
      PORT: '0',
      EGGAPI_API_KEYS: 'sk_env1,sk_env2',
      EGGAPI_TIMING: 'instant',
    });
    const url = await cli.url;
    const response = await fetch(`${url}/v1/tasks`, {
      headers: { authorization: 'Bearer sk_env2' },
    });
    expect(response.status).toBe(200);
  });

  it('replays a recording (--replay), its gaps moved by the virtual clock; a bad one exits 2', async () => {
    const bad = start(['--port', '0', '--replay', '/nonexistent/recording']);
    expect(await bad.exit).toBe(2);
    const recording = await writeRecording();
    try {
      const cli = start([
        '--port',
        '0',
        '--replay',
        recording.dir,
        '--api-key',
        RECORDED_KEY,
        '--clock',
        'virtual',
        '--timing',
        'realistic',
      ]);
      const url = await cli.url;
      expect(cli.output()).toContain(`Replay:         ${recording.dir}`);
      const headers = { authorization: `Bearer ${RECORDED_KEY}` };
      const poll = async () =>
        (
          (await (await fetch(`${url}/v1/tasks/${RECORDED_TASK}`, { headers })).json()) as {
            data: { status: string; output: { urls: string[] } | null };
          }
        ).data;
      const advance = (ms: number) =>
        fetch(`${url}/__admin/clock/advance`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ms }),
        });
      const statuses = [(await poll()).status];
      for (const ms of [500, 1_000, 1_500]) {
        await advance(ms);
        statuses.push((await poll()).status);
      }
      expect(statuses).toEqual(['pending', 'pending', 'processing', 'completed']);
      const image = await fetch((await poll()).output!.urls[0]!);
      expect(Buffer.from(await image.arrayBuffer())).toEqual(recording.png);
      const missing = await fetch(`${url}/v1/usage`, { headers });
      expect(((await missing.json()) as { error: { code: string } }).error.code).toBe(
        'NOT_RECORDED',
      );
    } finally {
      await recording.remove();
    }
  });

  it('with --clock virtual, stands still until POST /__admin/clock/advance moves it', async () => {
    const cli = start(['--port', '0', '--clock', 'virtual', '--timing', 'realistic']);
    const url = await cli.url;
    const headers = { authorization: 'Bearer sk_test_eggapi', 'content-type': 'application/json' };
    const clock = async () =>
      (await (await fetch(`${url}/__admin/clock`)).json()) as {
        data: { now: string; mode: string };
      };
    const created = (await (
      await fetch(`${url}/v1/generate`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: 'nanobanana', prompt: 'a fox' }),
      })
    ).json()) as { data: { id: string } };
    const status = async () =>
      (
        (await (await fetch(`${url}/v1/tasks/${created.data.id}`, { headers })).json()) as {
          data: { status: string };
        }
      ).data.status;
    const before = await clock();
    expect(before.data.mode).toBe('virtual');
    expect(await status()).toBe('pending');
    expect(await clock()).toEqual(before);
    const advanced = await fetch(`${url}/__admin/clock/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ms: 9_000 }),
    });
    expect(advanced.status).toBe(200);
    expect(await advanced.json()).toEqual({
      data: { now: new Date(Date.parse(before.data.now) + 9_000).toISOString(), mode: 'virtual' },
      error: null,
    });
    expect(await status()).toBe('completed');
  });

  it('exits 2 saying why on --clock virtual with a Redis URL', async () => {
    const cli = start(['--clock', 'virtual', '--redis-url', 'redis://127.0.0.1:1']);
    let stderr = '';
    cli.child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await cli.exit).toBe(2);
    expect(stderr).toContain(
      'eggapi-mock: --clock virtual cannot be used with --redis-url (or EGGAPI_REDIS_URL)',
    );
  });

  it('exits 0 on SIGTERM when nothing is abandoned', async () => {
    const cli = start(['--port', '0']);
    await cli.url;
    cli.child.kill('SIGTERM');
    expect(await cli.exit).toBe(0);
    expect(cli.output()).toContain('shut down: nothing abandoned');
  });

  it('exits non-zero on SIGTERM when a task has not ended, and says what it abandoned', async () => {
    const cli = start(['--port', '0', '--timing', 'instant', '--shutdown-grace', '100']);
    const url = await cli.url;
    const created = await fetch(`${url}/v1/generate`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer sk_test_eggapi',
        'content-type': 'application/json',
        'x-eggapi-mock-scenario': 'polls=3',
      },
      body: JSON.stringify({ model: 'nanobanana', prompt: 'never polled' }),
    });
    expect(created.status).toBe(202);
    cli.child.kill('SIGTERM');
    expect(await cli.exit).toBe(1);
    expect(cli.output()).toContain('abandoned 1 unended task(s) and 0 undelivered webhook(s)');
  });

  it('exits at once on a second signal', async () => {
    const hook = createServer(() => {}); // never answers: the delivery keeps shutdown waiting
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    try {
      const cli = start(['--port', '0', '--timing', 'instant', '--shutdown-grace', '60000']);
      const url = await cli.url;
      const arrived = new Promise((resolve) => hook.once('request', resolve));
      await fetch(`${url}/v1/generate`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk_test_eggapi', 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'nanobanana',
          prompt: 'x',
          webhook_url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/h`,
        }),
      });
      await arrived;
      cli.child.kill('SIGTERM');
      await expect.poll(cli.output, { timeout: 10_000, interval: 20 }).toContain('shutting down');
      cli.child.kill('SIGTERM');
      expect(await cli.exit).toBe(1);
    } finally {
      hook.closeAllConnections();
      hook.close();
    }
  });

  it('writes request logs to a pipe promptly (no waiting for a buffer to fill)', async () => {
    const cli = start(['--port', '0'], { LOG_LEVEL: 'info', LOG_FORMAT: 'json' });
    const url = await cli.url;
    await fetch(`${url}/v1/tasks/gen_missing`, {
      headers: { authorization: 'Bearer sk_test_eggapi' },
    });
    // The process keeps running: the line must arrive by the periodic flush, not on exit.
    await expect
      .poll(cli.output, { timeout: 10_000, interval: 20 })
      .toContain('"url":"/v1/tasks/gen_missing"');
    expect(cli.child.exitCode).toBeNull();
  });

  it('writes nothing into its install directory at run time', async () => {
    const before = listing();
    const cli = start(['--port', '0']);
    await cli.url;
    cli.child.kill('SIGTERM');
    await cli.exit;
    // The library entry too: imported, started and closed in a fresh process.
    const entry = fileURLToPath(new URL('../dist/mock-server.js', import.meta.url));
    const script = `const m = await import(${JSON.stringify(entry)}); const s = await m.startMockServer(); await s.close();`;
    const library = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: 'inherit',
    });
    expect(await new Promise((resolve) => library.on('exit', resolve))).toBe(0);
    expect(listing()).toEqual(before);
  });

  it.each([
    ['--timing', 'warp'],
    ['--log-level', 'verbose'],
    ['--public-url', 'nope'],
    ['--clock', 'frozen'],
  ])('exits 2 with the usage on a bad %s', async (flag, value) => {
    const cli = start([flag, value]);
    expect(await cli.exit).toBe(2);
  });
});
