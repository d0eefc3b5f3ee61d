import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const dist = (name: string) => fileURLToPath(new URL(`../dist/${name}`, import.meta.url));
const PNG_SIGNATURE = '89504e470d0a1a0a';

/** Runs an ES module script in a fresh node process; resolves with its stdout once it exits. */
async function runScript(script: string): Promise<string> {
  for (const file of ['images/node-png.js', 'mock-server.js']) {
    if (!existsSync(dist(file))) throw new Error(`${dist(file)} is missing: build first`);
  }
  // A worker left referenced would keep the process alive: the timeout fails the test then.
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '-e', script],
    { timeout: 20_000 },
  );
  return stdout;
}

describe('the built PNG renderer (fast-png in worker threads)', () => {
  it('finds its worker from the tsc output, and an idle worker does not keep the process alive', async () => {
    const entry = pathToFileURL(dist('images/node-png.js')).href;
    const stdout = await runScript(`
      const { createPngWorkers } = await import(${JSON.stringify(entry)});
      const { renderPng } = createPngWorkers();
      const png = await renderPng('${'ab'.repeat(32)}', 0, 64, 36);
      process.stdout.write(Buffer.from(png.subarray(0, 8)).toString('hex'));
      // No close(): the process must exit by itself.`);
    expect(stdout).toBe(PNG_SIGNATURE);
  });

  it('finds its worker beside the library bundle, and close() lets the process exit', async () => {
    const entry = pathToFileURL(dist('mock-server.js')).href;
    const stdout = await runScript(`
      const { startMockServer } = await import(${JSON.stringify(entry)});
      const server = await startMockServer();
      const headers = { authorization: 'Bearer ' + server.apiKey, 'content-type': 'application/json' };
      const created = await fetch(server.url + '/v1/generate', {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: 'nanobanana', prompt: 'a fox', resolution: '4k' }),
      }).then((r) => r.json());
      const task = await fetch(server.url + '/v1/tasks/' + created.data.id, { headers }).then((r) => r.json());
      const image = await fetch(task.data.output.urls[0]);
      const png = Buffer.from(await image.arrayBuffer());
      await server.close();
      process.stdout.write(image.status + ' ' + png.subarray(0, 8).toString('hex'));`);
    expect(stdout).toBe(`200 ${PNG_SIGNATURE}`);
  });
});
