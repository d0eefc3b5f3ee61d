import { cpSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startMockServer, type MockServer } from '@eggapi/mock-server';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver } from '../../test-support/receiver.mjs';
import { launchChromium } from '../../test-support/services.mjs';
import { available, findRuntime } from '../../test-support/runtimes.mjs';
import { nodeBinary } from './support/node-binaries.js';
import { webProject } from './support/packed.js';
import { run } from './support/workspace.js';

/**
 * The runtime matrix (issue #21): in Node 20, 22 and 24, Deno, Bun, workerd (through Miniflare)
 * and Chromium, from the packed tarballs (one install, shared with the bundle budgets), one
 * process per runtime runs runtime-matrix/cases.mjs: the client against a mock server on
 * 127.0.0.1 (this process starts one per runtime, as the fault counts are per server), the Web
 * Crypto verifier on a delivery that mock sent, and the engine's fetch handler in-process.
 * Node, Deno and Bun import the installed packages; workerd and Chromium run an esbuild bundle
 * of them (browser platform). A runtime that is not installed fails under CI=true and is skipped
 * loudly elsewhere (test-support/runtimes.mjs, services.mjs).
 */
const SECRET = 'whsec_matrix';
const CASES = new URL('./runtime-matrix/', import.meta.url);

/** The result a runtime printed: what each case saw, or `{ error }`. */
type MatrixResult = { runtime: string; client: any; webhook: any; handler: any };
interface Delivery {
  body: string;
  headers: Record<string, string>;
}

let project: string;
let delivery: Delivery;
let deliveredTaskId: string;
const mocks: MockServer[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

/** A real delivery of the mock: a task with a webhook to a receiver here, its signed POST kept. */
async function captureDelivery(): Promise<Delivery> {
  const mock = await startMockServer({ webhookSecret: SECRET });
  const receiver = await startReceiver({ path: '/eggapi/webhook' });
  try {
    const created = await fetch(`${mock.url}/v1/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${mock.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'nanobanana',
        prompt: 'A red fox in the snow',
        webhook_url: receiver.url,
      }),
    });
    deliveredTaskId = ((await created.json()) as { data: { id: string } }).data.id;
    // Instant timing: the task ends when it is next read.
    await fetch(`${mock.url}/v1/tasks/${deliveredTaskId}`, {
      headers: { authorization: `Bearer ${mock.apiKey}` },
    });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('the mock sent no webhook within 15 s')), 15_000);
    });
    await Promise.race([receiver.arrived(1), late]).finally(() => clearTimeout(timer));
    const { body, headers } = receiver.received[0]!;
    return {
      body,
      headers: Object.fromEntries(
        Object.entries(headers).filter((e): e is [string, string] => typeof e[1] === 'string'),
      ),
    };
  } finally {
    await receiver.close();
    await mock.close();
  }
}

/** Bundles runtime-matrix/<entry>.mjs from the installed packages into one ES module. */
async function bundle(entry: string, conditions: string[]): Promise<string> {
  const outfile = join(project, 'matrix', `${entry}.bundle.mjs`);
  await build({
    entryPoints: [join(project, 'matrix', `${entry}.mjs`)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions,
    logLevel: 'silent',
  });
  return outfile;
}

beforeAll(async () => {
  project = await webProject();
  mkdirSync(join(project, 'matrix'), { recursive: true });
  for (const file of readdirSync(CASES))
    cpSync(new URL(file, CASES), join(project, 'matrix', file));
  delivery = await captureDelivery();
}, 300_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await Promise.all(mocks.map((mock) => mock.close()));
});

/** A fresh mock on 127.0.0.1 for one runtime, and the input of its cases. */
async function inputFor() {
  const mock = await startMockServer({ webhookSecret: SECRET });
  mocks.push(mock);
  return { baseUrl: mock.url, apiKey: mock.apiKey, secret: SECRET, delivery };
}

/** The `MATRIX <json>` line a runtime printed. */
function printed(stdout: string): MatrixResult {
  const line = stdout.split('\n').find((l) => l.startsWith('MATRIX '));
  if (!line) throw new Error(`the runtime printed no result:\n${stdout}`);
  return JSON.parse(line.slice('MATRIX '.length)) as MatrixResult;
}

const ENV = { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', DO_NOT_TRACK: '1' };

/** Runs `args` (a script of the project's matrix/ and its input) with `command`. */
async function runScript(command: string, args: string[]): Promise<MatrixResult> {
  const input = JSON.stringify(await inputFor());
  const { stdout } = await run(command, [...args, input], {
    cwd: project,
    env: ENV,
    timeout: 60_000,
    maxBuffer: 4 * 1024 * 1024,
  });
  return printed(stdout);
}

/** Each runtime: its name in the tests, and how to run the cases there (undefined: skipped). */
const RUNTIMES: [string, () => Promise<MatrixResult | undefined>][] = [
  ...[20, 22, 24].map(
    (major) =>
      [`Node ${major}`, async () => runScript(await nodeBinary(major), ['matrix/node.mjs'])] as [
        string,
        () => Promise<MatrixResult | undefined>,
      ],
  ),
  [
    'Deno',
    async () => {
      const deno = available(findRuntime('deno'), 'Deno', 'the `deno` package');
      return deno && runScript(deno.path, ['run', '-A', 'matrix/deno.mjs']);
    },
  ],
  [
    'Bun',
    async () => {
      const bun = available(findRuntime('bun'), 'Bun', 'the `bun` package');
      return bun && runScript(bun.path, ['matrix/bun.mjs']);
    },
  ],
  [
    'workerd (Miniflare)',
    async () => {
      const what = 'the `miniflare` package';
      const miniflare = available(
        await import('miniflare').catch(() => undefined),
        'workerd',
        what,
      );
      if (!miniflare) return undefined;
      const script = readFileSync(await bundle('worker', ['workerd', 'worker', 'browser']), 'utf8');
      const mf = new miniflare.Miniflare({
        modules: true,
        script,
        compatibilityDate: '2026-04-01',
      });
      cleanups.push(() => mf.dispose());
      const response = await mf.dispatchFetch('http://matrix.invalid/', {
        method: 'POST',
        body: JSON.stringify(await inputFor()),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`the worker answered ${response.status}: ${text}`);
      return JSON.parse(text) as MatrixResult;
    },
  ],
  [
    'Chromium',
    async () => {
      const browser = await launchChromium('the runtime matrix in Chromium');
      if (!browser) return undefined;
      cleanups.push(() => browser.close());
      const script = readFileSync(await bundle('browser', ['browser']), 'utf8');
      // The page and its script from 127.0.0.1 (a secure context: Web Crypto is there).
      const pages = createServer((req, res) => {
        if (req.url === '/matrix.mjs') {
          res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
          res.end(script);
        } else {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          res.end(
            '<!doctype html><title>matrix</title><script type="module" src="/matrix.mjs"></script>',
          );
        }
      });
      await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
      cleanups.push(() => void pages.close());
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${(pages.address() as AddressInfo).port}/`);
      await page.waitForFunction(() => 'runMatrix' in globalThis);
      const input = await inputFor();
      return page.evaluate(
        (given) => (globalThis as any).runMatrix(given) as Promise<MatrixResult>,
        input,
      );
    },
  ],
];

describe.each(RUNTIMES)('in %s, from the packed tarballs', (name, runIn) => {
  let result: MatrixResult | undefined;
  beforeAll(async () => {
    const started = performance.now();
    result = await runIn();
    const ms = Math.round(performance.now() - started);
    if (result) console.log(`MATRIX ${name} (${ms} ms): ${JSON.stringify(result)}`);
  }, 120_000);

  it('@eggapi/client: generate → wait → tasks.list → usage.list against a mock on 127.0.0.1; AuthenticationError, RateLimitError (retryAfter), TaskFailedError are instanceof their classes', ({
    skip,
  }) => {
    if (!result) return skip();
    expect(result.client).toEqual({
      generated: 'pending',
      waited: 'completed',
      sameTask: true,
      listed: true,
      usage: true,
      authentication: true,
      rateLimit: true,
      retryAfter: 7,
      taskFailed: true,
      taskError: 'generation failed: matrix',
    });
  });

  it('@eggapi/webhook/web: verifyWebhook accepts a delivery the mock signed and refuses it tampered (signature_mismatch)', ({
    skip,
  }) => {
    if (!result) return skip();
    expect(result.webhook).toEqual({
      accepted: { event: 'task.completed', taskId: deliveredTaskId },
      refused: 'signature_mismatch',
    });
  });

  it("@eggapi/mock-engine: createFetchHandler answers the seed's lifecycle in-process (POST /v1/generate → GET /v1/tasks/:id completed)", ({
    skip,
  }) => {
    if (!result) return skip();
    expect(result.handler).toEqual({
      created: 202,
      polled: 200,
      sameTask: true,
      status: 'completed',
    });
  });
});
