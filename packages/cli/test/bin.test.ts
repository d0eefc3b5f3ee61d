import { readFileSync } from 'node:fs';
import { taskCompletedEventFixture } from '@eggapi/contracts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type MockProcess } from './support/mock-process.js';
import { eggapiProcess } from './support/run-cli.js';

// The other files run `main` in-process (support/run-cli.ts `eggapi`). These run the shipped bin
// (bin/eggapi.mjs over dist/cli.js) as a process, once per command and per exit code: what only
// a process shows (the exit code through process.exit, stdin as a real pipe, the bin wrapper).

const { version } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string };

const SECRET = 'whsec_bin_test';

let mock: MockProcess;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock?.close());

describe('the eggapi bin, as a process', () => {
  it('--version prints the package version, exit 0', async () => {
    expect(await eggapiProcess(['--version'])).toEqual({
      code: 0,
      stdout: `${version}\n`,
      stderr: '',
    });
  });

  it('--help: exit 0, usage on stdout', async () => {
    const result = await eggapiProcess(['generate', '--help']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^Usage: eggapi generate /);
  });

  it('bad usage: exit 2', async () => {
    const result = await eggapiProcess(['generate', 'x', '--colour'], { mock });
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toContain("unknown option '--colour'");
  });

  it('an API error: exit 1', async () => {
    const result = await eggapiProcess(['tasks', 'list'], {
      mock,
      env: { EGGAPI_API_KEY: 'sk_wrong' },
    });
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(/^eggapi: UNAUTHORIZED \(HTTP 401\)/);
  });

  it('generate --wait --json, tasks get, tasks list and usage against the mock', async () => {
    const made = await eggapiProcess(['generate', 'A bin fox', '--wait', '--json'], { mock });
    expect(made).toMatchObject({ code: 0, stderr: '' });
    const { id, status } = JSON.parse(made.stdout) as { id: string; status: string };
    expect(status).toBe('completed');
    const got = await eggapiProcess(['tasks', 'get', id, '--json'], { mock });
    expect(JSON.parse(got.stdout)).toMatchObject({ id, status: 'completed' });
    const list = await eggapiProcess(['tasks', 'list', '--json'], { mock });
    expect(JSON.parse(list.stdout).items[0]).toMatchObject({ id });
    const usage = await eggapiProcess(['usage', '--json'], { mock });
    expect(usage.code).toBe(0);
    expect(JSON.parse(usage.stdout)).toHaveProperty('total');
  });

  it('webhooks sign and verify read the body from a real pipe', async () => {
    const body = JSON.stringify(taskCompletedEventFixture({ task_id: 'gen_bin1' }));
    const signed = await eggapiProcess(['webhooks', 'sign', '--secret', SECRET], { input: body });
    expect(signed).toMatchObject({ code: 0, stderr: '' });
    const [timestamp, signature] = signed.stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split(': ')[1]!);
    const flags = ['--secret', SECRET, '--timestamp', timestamp!, '--signature', signature!];
    const verified = await eggapiProcess(['webhooks', 'verify', ...flags], { input: body });
    expect(verified).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(verified.stdout)).toMatchObject({ task_id: 'gen_bin1' });
    const refused = await eggapiProcess(['webhooks', 'verify', ...flags], { input: `${body} ` });
    expect(refused.code).toBe(1);
  });
});
