import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaskSchema } from '@eggapi/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type MockProcess } from './support/mock-process.js';
import { pngSize } from './support/png.js';
import { ANSI, eggapi } from './support/run-cli.js';

let mock: MockProcess;
let dir: string;

beforeAll(async () => {
  mock = await startMock();
  dir = mkdtempSync(join(tmpdir(), 'eggapi-cli-out-'));
});
afterAll(async () => {
  await mock?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The value of a `label   value` line of a printed task. */
function field(stdout: string, label: string): string | undefined {
  return new RegExp(`^${label} +(.+)$`, 'm').exec(stdout)?.[1];
}

describe('eggapi generate', () => {
  it('creates a task and prints it, pending, without waiting', async () => {
    const result = await eggapi(['generate', 'A red fox in the snow'], { mock });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(field(result.stdout, 'id')).toMatch(/^gen_/);
    expect(field(result.stdout, 'status')).toBe('pending');
    expect(field(result.stdout, 'type')).toBe('image_generate');
    expect(result.stdout).not.toMatch(ANSI);
  });

  it('--json prints only the created task as JSON, every option sent', async () => {
    const result = await eggapi(
      [
        'generate',
        'A lighthouse',
        '--aspect-ratio',
        '9:16',
        '--resolution',
        '2k',
        '--num-outputs',
        '2',
        '--negative-prompt',
        'fog',
        '--image-url',
        'https://example.com/a.png',
        '--image-url',
        'https://example.com/b.png',
        '--json',
      ],
      { mock },
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const task = TaskSchema.parse(JSON.parse(result.stdout));
    // image_urls make it an edit: the request carried them.
    expect(task).toMatchObject({ status: 'pending', type: 'image_edit', cost: '$0.00' });
  });

  it('--wait --json waits and prints the completed task as JSON only (no progress)', async () => {
    const result = await eggapi(['generate', 'A tiny robot', '--wait', '--json'], { mock });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const task = TaskSchema.parse(JSON.parse(result.stdout));
    expect(task.status).toBe('completed');
    expect(task.cost).toBe('$0.0100');
    expect(task.output?.urls).toHaveLength(1);
  });

  it('--out downloads every image as <dir>/<task id>-<n>.png at the requested size, and prints the paths', async () => {
    const out = join(dir, 'nested', 'images');
    const result = await eggapi(
      ['generate', 'Two cats', '--num-outputs', '2', '--aspect-ratio', '16:9', '--out', out],
      { mock },
    );
    expect(result.code).toBe(0);
    const id = field(result.stdout, 'id')!;
    const saved = [...result.stdout.matchAll(/^saved +(.+)$/gm)].map((m) => m[1]);
    expect(saved).toEqual([join(out, `${id}-1.png`), join(out, `${id}-2.png`)]);
    expect(readdirSync(out).sort()).toEqual([`${id}-1.png`, `${id}-2.png`]);
    for (const file of saved) expect(pngSize(file!)).toEqual({ width: 1024, height: 576 });
    expect(field(result.stdout, 'status')).toBe('completed');
  });

  it.each([
    ['9:16', '1k', { width: 576, height: 1024 }],
    ['16:9', '2k', { width: 2048, height: 1152 }],
  ])('--aspect-ratio %s --resolution %s --out writes a %o PNG', async (ratio, res, size) => {
    const out = join(dir, `${ratio.replace(':', 'x')}-${res}`);
    const result = await eggapi(
      [
        'generate',
        'A bridge',
        '--aspect-ratio',
        ratio,
        '--resolution',
        res,
        '--out',
        out,
        '--json',
      ],
      { mock },
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const task = TaskSchema.parse(JSON.parse(result.stdout));
    expect(pngSize(join(out, `${task.id}-1.png`))).toEqual(size);
  });

  it('--wait piped shows progress as plain lines on stderr, one per status, and the task on stdout', async () => {
    const result = await eggapi(['generate', 'A kite [[mock: queue=250; delay=2000]]', '--wait'], {
      mock,
    });
    expect(result.code).toBe(0);
    const id = field(result.stdout, 'id')!;
    expect(result.stderr).not.toMatch(ANSI);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines.map((line) => line.split(/ {2}/).slice(0, 2))).toEqual([
      [id, 'pending'],
      [id, 'processing'],
      [id, 'completed'],
    ]);
    for (const line of lines) expect(line).toMatch(/ {2}\d+\.\ds$/);
    expect(field(result.stdout, 'status')).toBe('completed');
    expect(field(result.stdout, 'images')).toMatch(new RegExp(`/images/${id}/0\\.png$`));
  });

  it('a task that fails while waited for: exit 1, the task printed, its error on stderr', async () => {
    const result = await eggapi(
      ['generate', 'A storm [[mock: fail="provider exploded"]]', '--wait', '--json'],
      {
        mock,
      },
    );
    expect(result.code).toBe(1);
    const task = TaskSchema.parse(JSON.parse(result.stdout));
    expect(task).toMatchObject({ status: 'failed', error: 'provider exploded' });
    expect(result.stderr).toBe(`eggapi: task ${task.id} failed: provider exploded\n`);
  });

  it('a request the server refuses: exit 1 naming the code, the message and the request id', async () => {
    const result = await eggapi(['generate', 'x', '--num-outputs', '9'], { mock });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^eggapi: VALIDATION_ERROR \(HTTP 400\): num_outputs must be between 1 and 4 \[request id: req_\w+\]\n$/,
    );
  });
});
