import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../dist/eggapi-mock.cjs', import.meta.url)); // the package's bin
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** Spawns the built CLI and resolves with the base URL it prints. */
function start(args: string[], env: Record<string, string> = {}) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
  url.catch(() => {}); // tests that expect an exit do not await the URL
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, url, exit, output: () => output };
}

describe('the eggapi-mock CLI', () => {
  it('serves the API, printing the base URL, the key and a working curl line', async () => {
    const cli = start(['--port', '0', '--timing', 'instant', '--api-key', 'sk_cli']);
    const url = await cli.url;
    expect(cli.output()).toContain('API key:        sk_cli');
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

  it('exits 0 on SIGTERM', async () => {
    const cli = start(['--port', '0']);
    await cli.url;
    cli.child.kill('SIGTERM');
    expect(await cli.exit).toBe(0);
  });

  it('exits 2 with the usage on a bad flag', async () => {
    const cli = start(['--timing', 'warp']);
    expect(await cli.exit).toBe(2);
  });
});
