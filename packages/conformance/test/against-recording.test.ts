import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RecordedExchange, RecordedWebhook } from '@eggapi/contracts';
import { describe, expect, it } from 'vitest';
import { conformingEntries, writeRecording } from './support/recording.js';

/** The committed bin, which runs the built CLI: what a team's CI runs. */
const BIN = fileURLToPath(new URL('../bin/eggapi-conformance.mjs', import.meta.url));

/** Runs `eggapi-conformance <args>` and resolves with how it ended (never rejects on a code). */
function conformance(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** The report's text without the durations, which vary. */
const withoutTimes = (text: string) => text.replace(/ \(\d+ ms\)$/gm, '');

type Entries = Record<string, RecordedExchange | RecordedWebhook>;

/** The conforming recording with the entry at `index` changed by `tamper` (in a copy). */
function tampered(index: number, tamper: (entry: any) => unknown): { dir: string; file: string } {
  const entries: Record<string, unknown> = conformingEntries();
  const file = Object.keys(entries)[index]!;
  entries[file] = tamper(structuredClone(entries[file]));
  return { dir: writeRecording(entries), file };
}

describe('eggapi-conformance --against-recording', () => {
  it('passes a recording that conforms: one check per file, exit 0', async () => {
    const dir = writeRecording(conformingEntries());
    const result = await conformance(['--against-recording', dir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(withoutTimes(result.stdout)).toBe(
      [
        `EggAPI conformance against the recording ${dir}`,
        '',
        '✓ exchanges/20261204T180000000Z-000001-post-v1-generate.json — POST /v1/generate → 202',
        '✓ exchanges/20261204T180001000Z-000002-get-v1-tasks-gen_abc123def456.json — GET /v1/tasks/gen_abc123def456 → 200',
        '✓ exchanges/20261204T180002000Z-000003-get-v1-tasks-gen_abc123def456.json — GET /v1/tasks/gen_abc123def456 → 200',
        '✓ exchanges/20261204T180003000Z-000004-get-v1-tasks-gen_missing000.json — GET /v1/tasks/gen_missing000 → 404',
        '✓ exchanges/20261204T180004000Z-000005-get-v1-tasks.json — GET /v1/tasks?page=1&per_page=20 → 200',
        '✓ webhooks/20261204T180005000Z-000006-task-completed-gen_abc123def456.json — webhook task.completed gen_abc123def456',
        '',
        '6 passed, 0 failed, 0 skipped',
        '',
      ].join('\n'),
    );
  });

  it.each<[string, number, (entry: any) => unknown, string[]]>([
    [
      'an undocumented task status',
      2,
      (e) => ((e.response.body.data.status = 'done'), e),
      ['response.body.data.status: undocumented status "done"'],
    ],
    [
      'a dropped cost',
      2,
      (e) => (delete e.response.body.data.cost, e),
      ['response.body.data.cost: Invalid input: expected string, received undefined'],
    ],
    [
      'an HTML page with 502',
      1,
      (e) => {
        delete e.response.body;
        return {
          ...e,
          response: {
            ...e.response,
            status: 502,
            headers: { 'content-type': 'text/html' },
            body_text: '<html><body>Bad Gateway</body></html>',
          },
        };
      },
      ['response.body: not JSON: "<html><body>Bad Gateway</body></html>"'],
    ],
    [
      'two changes at once',
      2,
      (e) => {
        e.response.body.data.status = 'done';
        delete e.response.body.data.cost;
        return e;
      },
      [
        'response.body.data.cost: Invalid input: expected string, received undefined',
        'response.body.data.status: undocumented status "done"',
      ],
    ],
    [
      'an undocumented error code',
      3,
      (e) => ((e.response.body.error.code = 'GONE_FISHING'), e),
      ['response.body.error.code: undocumented error code "GONE_FISHING"'],
    ],
    [
      'a truncated file',
      4,
      (e) => JSON.stringify(e).slice(0, 100),
      ['file: not a recording entry: not JSON'],
    ],
    [
      'a webhook with an undocumented event',
      5,
      (e) => {
        const body = { ...e.body, event: 'task.done' };
        return { ...e, body, raw_body: JSON.stringify(body) };
      },
      ["body.event: Invalid discriminator value. Expected 'task.completed' | 'task.failed'"],
    ],
    [
      'a webhook whose parsed body was edited',
      5,
      (e) => ((e.body.cost = '0.020000'), e),
      ['body: is not raw_body parsed'],
    ],
    [
      'another format',
      0,
      (e) => ({ ...e, format: 'har/1.2' }),
      [
        'file: not a recording entry: not a recording of format eggapi-recording/1 (format: "har/1.2")',
      ],
    ],
  ])('fails %s: exit 1, the file and its issues printed', async (_what, index, tamper, issues) => {
    const { dir, file } = tampered(index, tamper);
    const result = await conformance(['--against-recording', dir]);
    expect(result.code).toBe(1);
    const lines = withoutTimes(result.stdout).split('\n');
    const at = lines.findIndex((line) => line.startsWith(`✗ ${file} — `));
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 1 + issues.length)).toEqual(
      issues.map((issue, i) => `${i === 0 ? '    failed: ' : '            '}${issue}`),
    );
    expect(lines.at(-2)).toBe('5 passed, 1 failed, 0 skipped');
  });
});
