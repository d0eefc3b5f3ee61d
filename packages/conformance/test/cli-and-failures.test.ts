import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startMockServer, type MockServer } from '@eggapi/mock-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS, runConformance } from '../src/index.js';
import { tempDir } from '../../../test-support/temp-dir.mjs';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = promisify(execFile);

/** A server that answers 200 `{"data": null}` to everything: it breaks most of the contract. */
async function brokenServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":null}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let mock: MockServer;
let broken: { url: string; server: Server };

beforeAll(async () => {
  mock = await startMockServer({ timing: 'fast' });
  broken = await brokenServer();
});
afterAll(async () => {
  await mock.close();
  broken.server.close();
});

describe('a server that breaks the contract', () => {
  it('fails the checks it breaks, with a message saying what came back', async () => {
    const report = await runConformance({
      baseUrl: broken.url,
      apiKey: 'sk_any',
      taskTimeoutMs: 2_000,
      only: ['auth', 'tasks.get.not-found', 'generate.accepted'],
    });
    expect(report.results.map((r) => [r.id, r.status])).toEqual([
      ['auth.missing-key', 'failed'],
      ['auth.wrong-key', 'failed'],
      ['generate.accepted', 'failed'],
      ['tasks.get.not-found', 'failed'],
    ]);
    expect(report.results[0]!.message).toBe(
      'POST /v1/generate without a key: status: expected 401, got 200',
    );
  });

  it('makes the CLI exit 1', async () => {
    const failure = await run(process.execPath, [
      CLI,
      '--base-url',
      broken.url,
      '--api-key',
      'k',
      '--only',
      'auth',
    ]).catch((error: { code: number; stdout: string }) => error);
    expect((failure as { code: number }).code).toBe(1);
    expect((failure as { stdout: string }).stdout).toMatch(/0 passed, 2 failed, 0 skipped/);
  });
});

describe('the eggapi-conformance CLI', () => {
  it('passes against the mock server and writes JUnit XML on request', async () => {
    const out = join(tempDir('conformance-'), 'report.xml');
    await run(process.execPath, [
      CLI,
      '--base-url',
      mock.url,
      '--api-key',
      mock.apiKey,
      '--reporter',
      'junit',
      '--output',
      out,
    ]);
    const xml = readFileSync(out, 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(ALL_CHECKS.length);
    expect(xml).toContain('failures="0"');
    expect(xml).toContain('<skipped message="needs --webhook-secret"/>');
  });

  it('prints a readable list and JSON on request', async () => {
    const text = await run(process.execPath, [
      CLI,
      '--base-url',
      mock.url,
      '--api-key',
      mock.apiKey,
      '--only',
      'auth',
    ]);
    expect(text.stdout).toContain('✓ auth.missing-key — every /v1 route answers 401 UNAUTHORIZED');
    expect(text.stdout).toMatch(/2 passed, 0 failed, 0 skipped/);
    const json = await run(process.execPath, [
      CLI,
      '--base-url',
      mock.url,
      '--api-key',
      mock.apiKey,
      '--only',
      'tasks.get',
      '--reporter',
      'json',
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({ passed: 2, failed: 0 });
  });

  it('exits 2 on bad usage', async () => {
    const failure = await run(process.execPath, [CLI, '--api-key', 'k']).catch(
      (error: { code: number }) => error,
    );
    expect((failure as { code: number }).code).toBe(2);
  });
});

describe('the real service', () => {
  it('is refused without --allow-production, and in CI even with it', async () => {
    const { assertTargetAllowed, isProductionUrl, ProductionRefusedError } =
      await import('../src/index.js');
    expect(isProductionUrl('https://api.eggapi.ai')).toBe(true);
    expect(isProductionUrl('http://127.0.0.1:4010')).toBe(false);
    expect(() => assertTargetAllowed('https://api.eggapi.ai', false, {})).toThrow(
      ProductionRefusedError,
    );
    expect(() => assertTargetAllowed('https://api.eggapi.ai', true, { CI: 'true' })).toThrow(
      /in CI/,
    );
    expect(() => assertTargetAllowed('https://api.eggapi.ai', true, {})).not.toThrow();
    await expect(
      runConformance({ baseUrl: 'https://api.eggapi.ai', apiKey: 'sk_live' }),
    ).rejects.toThrow(ProductionRefusedError);
    const cli = await run(process.execPath, [
      CLI,
      '--base-url',
      'https://api.eggapi.ai',
      '--api-key',
      'k',
    ]).catch((error: { code: number; stderr: string }) => error);
    expect((cli as { code: number }).code).toBe(2);
    expect((cli as { stderr: string }).stderr).toMatch(
      /refusing to run against the real EggAPI service/,
    );
  });
});
