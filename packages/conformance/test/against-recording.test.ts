import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordedExchange } from '@eggapi/contracts';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli-main.js';
import { conformingEntries, writeRecording } from './support/recording.js';
import { tempDir } from '../../../test-support/temp-dir.mjs';

/**
 * `eggapi-conformance …args`, run in this process (the command's own `main`, as its bin runs it;
 * test/cli-and-failures.test.ts runs the shipped bin itself).
 */
async function conformance(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: {},
  });
  return { code, stdout, stderr };
}

/** The report's text without the durations, which vary. */
const withoutTimes = (text: string) => text.replace(/ \(\d+ ms\)$/gm, '');

/** The members of an entry that the tamperings below reach (an exchange's or a webhook's). */
interface Tamperable {
  response: {
    status: number;
    headers: Record<string, string>;
    body: { data: Record<string, unknown>; error: Record<string, unknown> };
  };
  body: Record<string, unknown>;
  raw_body: string;
}
type Tamper = (entry: Tamperable) => unknown;

/** The conforming recording with the entry at `index` changed by `tamper` (in a copy). */
function tampered(index: number, tamper: Tamper): { dir: string; file: string } {
  const entries: Record<string, unknown> = conformingEntries();
  const file = Object.keys(entries)[index]!;
  entries[file] = tamper(structuredClone(entries[file]) as Tamperable);
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

  it.each<[string, number, Tamper, string[]]>([
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
        const { body: _json, ...response } = e.response;
        return {
          ...e,
          response: {
            ...response,
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

describe('eggapi-conformance --against-recording: what a request the contract refuses means', () => {
  const invalid = { model: 'nanobanana' };

  it('refused by the server (400): conforms; accepted by it (202): a violation', async () => {
    const entries = conformingEntries();
    const [generate] = Object.keys(entries);
    const accepted = structuredClone(entries[generate!]) as RecordedExchange;
    accepted.request.body = invalid;
    const refused = structuredClone(accepted);
    refused.response = {
      status: 400,
      headers: {},
      body: { data: null, error: { code: 'VALIDATION_ERROR', message: 'prompt is required' } },
    };
    const dir = writeRecording({
      'exchanges/1-accepted.json': accepted,
      'exchanges/2-refused.json': refused,
      'exchanges/3-unknown.json': { ...refused, request: { ...refused.request, path: '/v2/x' } },
    });
    const result = await conformance(['--against-recording', dir]);
    expect(result.code).toBe(1);
    expect(withoutTimes(result.stdout)).toContain(
      [
        '✗ exchanges/1-accepted.json — POST /v1/generate → 202',
        '    failed: request.body.prompt: prompt is required and must be a string',
        '✓ exchanges/2-refused.json — POST /v1/generate → 400',
        '✗ exchanges/3-unknown.json — POST /v2/x → 400',
        '    failed: request: no route POST /v2/x',
      ].join('\n'),
    );
  });
});

describe('eggapi-conformance --against-recording: the kit’s other reporters', () => {
  const { dir, file } = tampered(2, (e) => ((e.response.body.data.status = 'done'), e));

  it('--reporter json: each file a result, the issues in its message', async () => {
    const result = await conformance(['--against-recording', dir, '--reporter', 'json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ recording: dir, passed: 5, failed: 1, skipped: 0 });
    expect(report.results).toHaveLength(6);
    expect(report.results.find((r: { id: string }) => r.id === file)).toMatchObject({
      status: 'failed',
      description: 'GET /v1/tasks/gen_abc123def456 → 200',
      message: 'response.body.data.status: undocumented status "done"',
    });
  });

  it('--reporter junit --output <file>: one testcase per file', async () => {
    const out = join(tempDir('report-'), 'drift.xml');
    const result = await conformance([
      '--against-recording',
      dir,
      '--reporter',
      'junit',
      '--output',
      out,
    ]);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    const xml = readFileSync(out, 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(6);
    expect(xml).toContain('failures="1"');
    expect(xml).toContain(
      '<failure message="response.body.data.status: undocumented status &quot;done&quot;"/>',
    );
  });
});

describe('eggapi-conformance --against-recording: a hostile recording', () => {
  it('a link, a directory and an escape-laden name: each a failure, never followed or printed raw', async () => {
    const dir = writeRecording(conformingEntries());
    const outside = join(tempDir('outside-'), 'secret.json');
    writeFileSync(outside, JSON.stringify(Object.values(conformingEntries())[0]));
    symlinkSync(outside, join(dir, 'exchanges', 'link.json'));
    mkdirSync(join(dir, 'exchanges', 'dir.json'));
    writeFileSync(join(dir, 'webhooks', '\u001b[2Jx.json'), '{"format":"\\u009b31m"}');
    // Being written (dot-prefixed) and not entries (.txt): left out.
    writeFileSync(join(dir, 'exchanges', '.half.json.tmp'), '{"format');
    writeFileSync(join(dir, 'exchanges', 'notes.txt'), 'hello');
    const result = await conformance(['--against-recording', dir]);
    expect(result.code).toBe(1);
    const out = withoutTimes(result.stdout);
    expect([out.includes('\u001b'), out.includes('\u009b')]).toEqual([false, false]);
    expect(out).toContain(
      [
        '✗ exchanges/dir.json — an exchange entry',
        '    failed: file: not a regular file',
        '✗ exchanges/link.json — an exchange entry',
        '    failed: file: not a regular file',
      ].join('\n'),
    );
    expect(out).toContain(
      [
        '✗ webhooks/\\u001b[2Jx.json — a webhook entry',
        '    failed: file: not a recording entry: not a recording of format eggapi-recording/1 (format: "\\u009b31m")',
      ].join('\n'),
    );
    expect(out).toMatch(/\n6 passed, 3 failed, 0 skipped\n$/);
  });
});

describe('eggapi-conformance --against-recording: bad usage, exit 2', () => {
  it.each<[string, () => string[], RegExp]>([
    [
      'no such directory',
      () => ['--against-recording', '/nonexistent/recording'],
      /^eggapi-conformance: no recording directory at \/nonexistent\/recording\n$/,
    ],
    [
      'a recording without entries',
      () => {
        const dir = writeRecording({ 'exchanges/.writing.json.tmp': '{', 'images/x/0.png': 'png' });
        return ['--against-recording', dir];
      },
      /^eggapi-conformance: no entries in .+: expected exchanges\/\*\.json or webhooks\/\*\.json\n$/,
    ],
    [
      'no directory given',
      () => ['--against-recording', ''],
      /--against-recording needs a directory/,
    ],
    [
      'server flags too',
      () => ['--against-recording', '.', '--base-url', 'http://127.0.0.1:1', '--only', 'auth'],
      /--against-recording contacts no server: drop --base-url, --only/,
    ],
    [
      'an unknown reporter',
      () => ['--against-recording', '.', '--reporter', 'tap'],
      /--reporter must be one of text, json, junit/,
    ],
  ])('%s', async (_what, args, message) => {
    const result = await conformance(args());
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(message);
  });
});
