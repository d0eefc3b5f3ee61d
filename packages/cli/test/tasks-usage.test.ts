import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaskSchema, UsageRecordSchema } from '@eggapi/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type MockProcess } from './support/mock-process.js';
import { ANSI, eggapi, eggapiInPty, stripAnsi } from './support/run-cli.js';

let mock: MockProcess;
let dir: string;
/** The tasks created for this file, oldest first: three completed, then one failed. */
const created: { id: string; images: number }[] = [];

beforeAll(async () => {
  mock = await startMock();
  dir = mkdtempSync(join(tmpdir(), 'eggapi-cli-tasks-'));
  for (const images of [1, 2, 1]) {
    const { stdout } = await eggapi(
      ['generate', `Task with ${images}`, '--num-outputs', String(images), '--wait', '--json'],
      { mock },
    );
    created.push({ id: (JSON.parse(stdout) as { id: string }).id, images });
  }
  const failed = await eggapi(['generate', 'Doomed [[mock: fail]]', '--json'], { mock });
  created.push({ id: (JSON.parse(failed.stdout) as { id: string }).id, images: 0 });
});
afterAll(async () => {
  await mock?.close();
  rmSync(dir, { recursive: true, force: true });
});

const newestFirst = () => created.map((task) => task.id).reverse();

describe('eggapi tasks', () => {
  it('get prints the task; --json prints it as JSON', async () => {
    const [first] = created;
    const text = await eggapi(['tasks', 'get', first!.id], { mock });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^id +${first!.id}$`, 'm'));
    expect(text.stdout).toMatch(/^status +completed$/m);
    const json = await eggapi(['tasks', 'get', first!.id, '--json'], { mock });
    expect(TaskSchema.parse(JSON.parse(json.stdout))).toMatchObject({
      id: first!.id,
      status: 'completed',
      cost: '$0.0100',
    });
  });

  it('get of an unknown task: exit 1 with NOT_FOUND, the message and the request id', async () => {
    const result = await eggapi(['tasks', 'get', 'gen_nope'], { mock });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^eggapi: NOT_FOUND \(HTTP 404\): task gen_nope not found \[request id: req_\w+\]\n$/,
    );
  });

  it('wait --out --json waits for a created task, downloads its images and prints it as JSON', async () => {
    const made = await eggapi(['generate', 'Later [[mock: delay=400]]', '--json'], { mock });
    const { id } = JSON.parse(made.stdout) as { id: string };
    const out = join(dir, 'wait');
    const result = await eggapi(['tasks', 'wait', id, '--out', out, '--json'], { mock });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(TaskSchema.parse(JSON.parse(result.stdout)).status).toBe('completed');
    const text = await eggapi(['tasks', 'wait', id, '--out', out], { mock });
    expect(text.stdout).toMatch(new RegExp(`^saved +${out}/${id}-1\\.png$`, 'm'));
    expect(text.stderr).toBe(`${id}  completed  ${/\d+\.\ds/.exec(text.stderr)?.[0]}\n`);
  });

  it('wait on a task that fails: exit 1, the failed task printed, the reason on stderr', async () => {
    const failed = created[3]!;
    const result = await eggapi(['tasks', 'wait', failed.id], { mock });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^status +failed$/m);
    expect(result.stderr).toMatch(
      new RegExp(
        `eggapi: task ${failed.id} failed: generation failed: upstream provider unavailable\\n$`,
      ),
    );
  });

  it('list --json prints { items, pagination }, newest first', async () => {
    const result = await eggapi(['tasks', 'list', '--json'], { mock });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const page = JSON.parse(result.stdout);
    expect(page.items.map((t: unknown) => TaskSchema.parse(t).id)).toEqual(
      expect.arrayContaining(newestFirst()),
    );
    expect(page.pagination).toMatchObject({ page: 1, per_page: 20 });
  });

  it('list --page / --per-page ask for that page; --all --json walks every page', async () => {
    const all = JSON.parse((await eggapi(['tasks', 'list', '--all', '--json'], { mock })).stdout);
    expect(Object.keys(all)).toEqual(['items']);
    const ids: string[] = all.items.map((t: { id: string }) => t.id);
    expect(ids.length).toBeGreaterThanOrEqual(4);
    const second = JSON.parse(
      (await eggapi(['tasks', 'list', '--page', '2', '--per-page', '2', '--json'], { mock }))
        .stdout,
    );
    expect(second.pagination).toMatchObject({ page: 2, per_page: 2, total: ids.length });
    expect(second.items.map((t: { id: string }) => t.id)).toEqual(ids.slice(2, 4));
    const small = JSON.parse(
      (await eggapi(['tasks', 'list', '--all', '--per-page', '1', '--json'], { mock })).stdout,
    );
    expect(small.items.map((t: { id: string }) => t.id)).toEqual(ids);
  });

  it('list piped prints tab-separated lines without colour: id, status, type, images, cost, created', async () => {
    const result = await eggapi(['tasks', 'list', '--all'], { mock });
    expect(result.stdout).not.toMatch(ANSI);
    const rows = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split('\t'));
    const byId = new Map(rows.map((row) => [row[0], row]));
    for (const task of created) {
      const row = byId.get(task.id)!;
      expect(row.slice(1, 5)).toEqual(
        task.images > 0
          ? ['completed', 'image_generate', String(task.images), `$0.0${task.images}00`]
          : ['failed', 'image_generate', '0', '$0.00'],
      );
      expect(row[5]).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
  });

  it('list on a terminal draws a table with a header and the page summary', async () => {
    const result = await eggapiInPty(['tasks', 'list', '--per-page', '2'], { mock });
    const screen = stripAnsi(result.stdout);
    expect(screen).toMatch(/┌─+┬/);
    expect(screen).toMatch(/│ ID +│ STATUS +│ TYPE +│ IMAGES │ COST +│ CREATED +│/);
    expect(screen).toMatch(
      /page 1 of \d+, \d+ task\(s\) — --page 2 for more, --all for every page/,
    );
  });
});

describe('eggapi usage', () => {
  it('--json prints the billed tasks, the pagination and the total', async () => {
    const result = await eggapi(['usage', '--json'], { mock });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const usage = JSON.parse(result.stdout);
    const records = usage.items.map((r: unknown) => UsageRecordSchema.parse(r));
    const billed = created.filter((task) => task.images > 0);
    expect(records.map((r: { task_id: string }) => r.task_id)).toEqual(
      expect.arrayContaining(billed.map((task) => task.id)),
    );
    const images = records.reduce((sum: number, r: { quantity: number }) => sum + r.quantity, 0);
    expect(usage.total).toEqual({ images, cost: `$0.0${images}00` });
    expect(usage.pagination).toMatchObject({ page: 1 });
  });

  it('--all --json has every record and the same total shape, without pagination', async () => {
    const usage = JSON.parse((await eggapi(['usage', '--all', '--json'], { mock })).stdout);
    expect(Object.keys(usage).sort()).toEqual(['items', 'total']);
    expect(usage.total.images).toBe(
      usage.items.reduce((sum: number, r: { quantity: number }) => sum + r.quantity, 0),
    );
  });

  it('piped: tab-separated records and a last total line', async () => {
    const result = await eggapi(['usage', '--all'], { mock });
    const lines = result.stdout.split('\n').slice(0, -1);
    expect(lines.at(-1)).toMatch(/^total\t\t\d+\t\$\d+\.\d{4}\t$/);
    const records = lines.slice(0, -1).map((line) => line.split('\t'));
    for (const record of records) expect(record).toHaveLength(5);
    const images = records.reduce((sum, r) => sum + Number(r[2]), 0);
    expect(lines.at(-1)!.split('\t')[2]).toBe(String(images));
  });

  it('on a terminal: a table whose last row is the total', async () => {
    const result = await eggapiInPty(['usage', '--all'], { mock });
    const screen = stripAnsi(result.stdout);
    expect(screen).toMatch(/│ TASK +│ TYPE +│ IMAGES │ COST +│ DATE +│/);
    expect(screen).toMatch(/│ total +│ +│ \d+ +│ \$\d+\.\d{4} │ +│\r\n└/);
  });
});
