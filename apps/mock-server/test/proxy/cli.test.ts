import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRecordingEntry } from '@eggapi/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { validRequest } from '../support/harness.js';
import { completedTask, fakeUpstream, json, realUpstream } from './support.js';

const CLI = fileURLToPath(new URL('../../bin/eggapi-mock.cjs', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../../dist/cli.cjs', import.meta.url));
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function start(args: string[], env: Record<string, string> = {}) {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [CLI, '--port', '0', ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${output}${errors}`)));
  });
  url.catch(() => {});
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, url, exit, output: () => output, errors: () => errors };
}

function recordingDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'eggapi-cli-recording-'));
  dirs.push(dir);
  return dir;
}

describe('eggapi-mock --proxy-to', () => {
  it('proxies, shows the proxy in the banner, logs each violation and counts them on shutdown', async () => {
    const task = await completedTask();
    const upstream = await fakeUpstream((_req, res) =>
      json(res, 200, { data: { ...task, status: 'done' }, error: null }),
    );
    const cli = start(['--proxy-timeout', '5'], { EGGAPI_PROXY_TO: upstream.url });
    const url = await cli.url;
    expect(cli.output()).toContain(`Proxy to:       ${upstream.url}`);
    const answer = await fetch(`${url}/v1/tasks/${task.id}`, {
      headers: { authorization: 'Bearer sk_live_mine' },
    });
    expect(answer.status).toBe(200);
    expect(upstream.requests[0]!.headers.authorization).toBe('Bearer sk_live_mine');
    const violations = (await (await fetch(`${url}/__admin/violations`)).json()) as {
      data: unknown[];
    };
    expect(violations.data).toHaveLength(1);
    cli.child.kill('SIGTERM');
    expect(await cli.exit).toBe(0);
    expect(cli.output()).toContain('shut down: nothing abandoned; 1 contract violation(s) seen');
    expect(cli.output()).toMatch(
      /"level":40.*"msg":"contract violation \(response\) GET \/v1\/tasks\/gen_\w+ → 200: body\.data\.status: undocumented status \\"done\\""/,
    );
  });

  it('answers 502 UPSTREAM_CONTRACT_VIOLATION with --proxy-errors', async () => {
    const task = await completedTask();
    const upstream = await fakeUpstream((_req, res) =>
      json(res, 200, { data: { ...task, status: 'done' }, error: null }),
    );
    const cli = start(['--proxy-to', upstream.url, '--proxy-errors']);
    const answer = await fetch(`${await cli.url}/v1/tasks/${task.id}`, {
      headers: { authorization: 'Bearer sk_live_mine' },
    });
    expect(answer.status).toBe(502);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe(
      'UPSTREAM_CONTRACT_VIOLATION',
    );
  });

  it.each([
    [['--record', 'x'], '--record needs --proxy-to'],
    [['--proxy-to', 'https://api.eggapi.ai?x=1'], '--proxy-to must be an http://'],
  ])('refuses %j with exit 2 and the usage', async (args, message) => {
    const cli = start(args);
    expect(await cli.exit).toBe(2);
    expect(cli.errors()).toContain(message);
    expect(cli.errors()).toContain('Usage: eggapi-mock');
  });

  it('killed with -9 while recording, leaves only whole files', async () => {
    const upstream = await realUpstream();
    const dir = recordingDir();
    const cli = start(['--proxy-to', upstream.url, '--record', dir]);
    const url = await cli.url;
    const headers = {
      authorization: `Bearer ${upstream.apiKey}`,
      'content-type': 'application/json',
    };
    const traffic = Array.from({ length: 40 }, (_, i) =>
      fetch(`${url}/v1/generate`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ ...validRequest, prompt: `fox ${i}`, num_outputs: 4 }),
      })
        .then((r) => r.json() as Promise<{ data: { id: string } }>)
        .then(({ data }) => fetch(`${url}/v1/tasks/${data.id}`, { headers }))
        .catch(() => undefined),
    );
    // Kill it while exchanges are being answered and written.
    await expect
      .poll(() => readdirSync(join(dir, 'exchanges')).filter((n) => !n.startsWith('.')).length, {
        timeout: 10_000,
        interval: 5,
      })
      .toBeGreaterThan(5);
    cli.child.kill('SIGKILL');
    await cli.exit;
    await Promise.all(traffic);
    const names = readdirSync(join(dir, 'exchanges')).filter((name) => !name.startsWith('.'));
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) {
      expect(name).toMatch(/\.json$/);
      const parsed = parseRecordingEntry(readFileSync(join(dir, 'exchanges', name), 'utf8'));
      expect(parsed, name).toMatchObject({ ok: true });
    }
  });
});
