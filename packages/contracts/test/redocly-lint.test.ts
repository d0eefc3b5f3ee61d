import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const COMMITTED = fileURLToPath(new URL('../openapi.json', import.meta.url));
const CLI = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
// A home of its own: the CLI keeps no state from other runs and reads no user configuration.
const HOME = mkdtempSync(join(tmpdir(), 'eggapi-redocly-'));

afterAll(() => rmSync(HOME, { recursive: true, force: true }));

interface LintResult {
  totals: { errors: number; warnings: number; ignored: number };
  problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
}

/** Runs `redocly lint` offline: no telemetry, no update check (both would call the network). */
async function lint(file: string, ruleset: string): Promise<LintResult> {
  const { stdout } = await run(
    process.execPath,
    [CLI, 'lint', `--extends=${ruleset}`, '--format=json', file],
    {
      env: {
        ...process.env,
        HOME,
        REDOCLY_TELEMETRY: 'off',
        REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
        CI: 'true',
      },
    },
  ).catch((error: { stdout?: string }) => {
    // Exit code 1 means problems were found; the JSON report is still on stdout.
    if (!error.stdout) throw error;
    return { stdout: error.stdout };
  });
  return JSON.parse(stdout) as LintResult;
}

const summary = (result: LintResult) =>
  result.problems.map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);

describe("Redocly's lint, ruleset recommended-strict", () => {
  it('finds no error and no warning in the committed openapi.json', async () => {
    const result = await lint(COMMITTED, 'recommended-strict');
    expect(summary(result)).toEqual([]);
    expect(result.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 });
  });

  it('reports a document without a license and webhook operationIds (the check can fail)', async () => {
    const doc = JSON.parse(readFileSync(COMMITTED, 'utf8')) as {
      info: { license?: unknown };
      webhooks: Record<string, { post: { operationId?: string } }>;
    };
    delete doc.info.license;
    delete doc.webhooks['task.failed']!.post.operationId;
    const broken = join(HOME, 'broken.json');
    writeFileSync(broken, JSON.stringify(doc));
    const result = await lint(broken, 'recommended-strict');
    expect(result.problems.map((p) => p.ruleId).sort()).toEqual([
      'info-license',
      'operation-operationId',
    ]);
  });
});
