/**
 * A project of another team that uses one entry of one of our packages: what it installs (only
 * what a user of that entry would) and a source file that uses the entry's types, with one
 * misuse that must not compile (so the types cannot be `any`).
 */
export interface Consumer {
  /** Directory name, and the test's name. */
  id: string;
  /** The import specifier under test. */
  entry: string;
  /** Our packages it installs (from the tarballs); their own dependencies come with them. */
  packages: string[];
  /** Other packages it installs, at the versions this repository uses. */
  extra: string[];
  /** Runtime: Node (with `@types/node`) or a Web runtime (DOM library, no Node types). */
  runtime: 'node' | 'web';
  source: string;
}

const node = { runtime: 'node' as const, extra: ['@types/node'] };
const web = { runtime: 'web' as const, extra: [] };
/** `@eggapi/mock-server` and the workspace packages it installs with. */
const MOCK_SERVER_PACKAGES = [
  '@eggapi/mock-server',
  '@eggapi/mock-engine',
  '@eggapi/webhook',
  '@eggapi/contracts',
];

export const CONSUMERS: Consumer[] = [
  {
    id: 'contracts',
    entry: '@eggapi/contracts',
    packages: ['@eggapi/contracts'],
    ...node,
    source: `
import { contract, parseCost, TaskSchema, type Task } from '@eggapi/contracts';
const task: Task = TaskSchema.parse(JSON.parse('{}'));
export const status: string = task.status;
export const path: string = contract.getTask.path;
export const micros: number = parseCost('$0.0100');
// @ts-expect-error a task cost is a string
export const bad: Task['cost'] = 1;
`,
  },
  {
    id: 'contracts-testing',
    entry: '@eggapi/contracts/testing',
    packages: ['@eggapi/contracts'],
    ...node,
    source: `
import type { Task } from '@eggapi/contracts';
import { taskFixture } from '@eggapi/contracts/testing';
export const failed: Task = taskFixture({ status: 'failed' });
// @ts-expect-error a task cost is a string
taskFixture({ cost: 1 });
`,
  },
  {
    id: 'client',
    entry: '@eggapi/client',
    packages: ['@eggapi/client', '@eggapi/contracts'],
    ...node,
    source: `
import { EggAPI } from '@eggapi/client';
const client = new EggAPI({ apiKey: 'sk_test', baseURL: 'http://127.0.0.1:4010' });
export async function main(): Promise<string> {
  const task = await client.run({ model: 'nanobanana', prompt: 'A red fox' });
  return task.status;
}
// @ts-expect-error the prompt is a string
void client.generate({ model: 'nanobanana', prompt: 1 });
`,
  },
  {
    id: 'webhook',
    entry: '@eggapi/webhook',
    packages: ['@eggapi/webhook', '@eggapi/contracts'],
    ...node,
    source: `
import type { IncomingHttpHeaders } from 'node:http';
import { verifyWebhook, WebhookVerificationError } from '@eggapi/webhook';
export function handle(raw: Buffer, headers: IncomingHttpHeaders): string {
  try {
    return verifyWebhook({ payload: raw, headers, secret: 'whsec_test' }).task_id;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.reason;
    throw error;
  }
}
// @ts-expect-error the payload is the raw body, not a number
verifyWebhook({ payload: 42, headers: {}, secret: 'whsec_test' });
`,
  },
  {
    id: 'webhook-web',
    entry: '@eggapi/webhook/web',
    packages: ['@eggapi/webhook', '@eggapi/contracts'],
    ...web,
    source: `
import { verifyWebhook } from '@eggapi/webhook/web';
export async function handle(request: Request): Promise<string> {
  const payload = await request.text();
  const event = await verifyWebhook({ payload, headers: request.headers, secret: 'whsec_test' });
  return event.task_id;
}
// @ts-expect-error the payload is the raw body, not a number
void verifyWebhook({ payload: 42, headers: {}, secret: 'whsec_test' });
`,
  },
  {
    id: 'webhook-fetch',
    entry: '@eggapi/webhook/fetch',
    packages: ['@eggapi/webhook', '@eggapi/contracts'],
    ...web,
    source: `
import { verifyRequest } from '@eggapi/webhook/fetch';
export async function POST(request: Request): Promise<Response> {
  const event = await verifyRequest(request, { secret: 'whsec_test' });
  return new Response(event.event, { status: 200 });
}
// @ts-expect-error the first argument is a Request
void verifyRequest('body', { secret: 'whsec_test' });
`,
  },
  {
    id: 'webhook-express',
    entry: '@eggapi/webhook/express',
    packages: ['@eggapi/webhook', '@eggapi/contracts'],
    runtime: 'node',
    extra: ['@types/node', 'express', '@types/express'],
    source: `
import express from 'express';
import { eggapiWebhook, type EggapiWebhookRequest } from '@eggapi/webhook/express';
const app = express();
app.post('/eggapi/webhook', eggapiWebhook({ secret: 'whsec_test' }), (req, res) => {
  const event = (req as EggapiWebhookRequest).eggapiEvent;
  // The augmentation types it on express's own Request too.
  const id: string | undefined = req.eggapiEvent?.task_id;
  res.status(204).set('x-task', id ?? event.task_id).end();
});
// @ts-expect-error the options are an object
eggapiWebhook('whsec_test');
export { app };
`,
  },
  {
    id: 'webhook-express-plain',
    entry: '@eggapi/webhook/express',
    // The middleware on plain node:http: neither express nor @types/express installed.
    packages: ['@eggapi/webhook', '@eggapi/contracts'],
    ...node,
    source: `
import { createServer } from 'node:http';
import { eggapiWebhook, type EggapiWebhookRequest } from '@eggapi/webhook/express';
const middleware = eggapiWebhook({ secret: 'whsec_test' });
export const server = createServer((req, res) => {
  void middleware(req, res, (error) => {
    if (error) res.writeHead(500).end();
    else res.end((req as EggapiWebhookRequest).eggapiEvent.task_id);
  });
});
// @ts-expect-error the options are an object
eggapiWebhook('whsec_test');
`,
  },
  {
    id: 'webhook-redis-replay-store',
    entry: '@eggapi/webhook/redis-replay-store',
    // No Redis library: the store takes any client with ioredis's set(); the user brings one.
    packages: ['@eggapi/webhook', '@eggapi/contracts'],
    ...node,
    source: `
import { createReplayGuard } from '@eggapi/webhook';
import { RedisReplayStore, type RedisReplayClient } from '@eggapi/webhook/redis-replay-store';
declare const client: RedisReplayClient;
export const guard = createReplayGuard({ store: new RedisReplayStore({ client, prefix: 'app:' }) });
// @ts-expect-error the client must have set(key, value, 'PX', ms, 'NX')
void new RedisReplayStore({ client: { get: async () => null } });
`,
  },
  {
    id: 'mock-server',
    entry: '@eggapi/mock-server',
    packages: MOCK_SERVER_PACKAGES,
    ...node,
    source: `
import { startMockServer } from '@eggapi/mock-server';
export async function main(): Promise<string> {
  const mock = await startMockServer({ webhookSecret: 'whsec_test' });
  const url: string = mock.url;
  await mock.close();
  return url;
}
// @ts-expect-error the port is a number
void startMockServer({ port: 'any' });
`,
  },
  {
    id: 'mock-server-msw',
    entry: '@eggapi/mock-server/msw',
    packages: MOCK_SERVER_PACKAGES,
    // A browser app's test setup: msw (the peer), the DOM, no Node types.
    runtime: 'web',
    extra: ['msw'],
    source: `
import { setupWorker } from 'msw/browser';
import { createEggapiHandlers, type EggapiHandlers } from '@eggapi/mock-server/msw';
const mock: EggapiHandlers = createEggapiHandlers({ apiKeys: ['sk_test'], timing: 'instant' });
export const worker = setupWorker(...mock.handlers);
export async function finish(id: string): Promise<number> {
  await mock.completeTask(id);
  await mock.advance(1_000);
  return (await mock.deliveries(id)).length;
}
// @ts-expect-error timing is a preset name or explicit delays
createEggapiHandlers({ timing: 'slow' });
`,
  },
  {
    id: 'mock-server-testing',
    entry: '@eggapi/mock-server/testing',
    packages: MOCK_SERVER_PACKAGES,
    ...node,
    source: `
import * as nodeTest from 'node:test';
import { useEggapiMock, type MockServerFixture } from '@eggapi/mock-server/testing';
const mock: MockServerFixture = useEggapiMock({ webhookSecret: 'whsec_test', test: nodeTest });
export async function finish(id: string): Promise<string> {
  await mock.completeTask(id);
  return \`\${mock.url} \${mock.port} \${mock.apiKey}\`;
}
// @ts-expect-error the port is a number
useEggapiMock({ port: 'any' });
`,
  },
  {
    id: 'mock-engine',
    entry: '@eggapi/mock-engine',
    packages: ['@eggapi/mock-engine', '@eggapi/webhook', '@eggapi/contracts'],
    // A worker or a Deno/Bun server: Fetch API types, no Node types.
    ...web,
    source: `
import { createFetchHandler, type FetchHandler } from '@eggapi/mock-engine';
const mock: FetchHandler = createFetchHandler({ apiKeys: ['sk_test'], timing: 'instant' });
export default { fetch: mock.fetch };
export async function finish(id: string): Promise<number> {
  await mock.completeTask(id);
  await mock.advance(1_000);
  return (await mock.deliveries(id)).length;
}
// @ts-expect-error timing is a preset name or explicit delays
createFetchHandler({ timing: 'slow' });
`,
  },
  {
    id: 'mock-engine-msw',
    entry: '@eggapi/mock-engine/msw',
    packages: ['@eggapi/mock-engine', '@eggapi/webhook', '@eggapi/contracts'],
    // A browser app's test setup: msw (the peer), the DOM, no Node types.
    runtime: 'web',
    extra: ['msw'],
    source: `
import { setupWorker } from 'msw/browser';
import { createEggapiHandlers, type EggapiHandlers } from '@eggapi/mock-engine/msw';
const mock: EggapiHandlers = createEggapiHandlers({ apiKeys: ['sk_test'], timing: 'instant' });
export const worker = setupWorker(...mock.handlers);
export const handle: (request: Request) => Promise<Response> = mock.handle;
// @ts-expect-error server-only options are not handler options
createEggapiHandlers({ port: 4010 });
`,
  },
  {
    id: 'mock-engine-host',
    entry: '@eggapi/mock-engine/host',
    packages: ['@eggapi/mock-engine', '@eggapi/webhook', '@eggapi/contracts'],
    // What a host builds on (a store or scheduler of its own): portable too, no Node types.
    ...web,
    source: `
import {
  createEngine,
  createMemoryStore,
  resolveEngineOptions,
  storeInitOf,
  type MockEngine,
  type MockStore,
} from '@eggapi/mock-engine/host';
const options = resolveEngineOptions({ timing: 'instant' });
export const store: MockStore = createMemoryStore((salt) => storeInitOf(options, salt));
export const engine: MockEngine = createEngine(options, { store });
// @ts-expect-error the engine takes resolved options, not a store
createEngine(store);
`,
  },
  {
    id: 'mock-engine-testing',
    entry: '@eggapi/mock-engine/testing',
    packages: ['@eggapi/mock-engine', '@eggapi/webhook', '@eggapi/contracts'],
    // A test file on a Web runtime: any runner with the three hooks, no Node types.
    ...web,
    source: `
import { useEggapiMock, type EggapiMockFixture } from '@eggapi/mock-engine/testing';
const hook = (fn: () => Promise<void>): void => void fn;
const runner = { beforeAll: hook, afterEach: hook, afterAll: hook };
const mock: EggapiMockFixture = useEggapiMock({ timing: 'instant', test: runner });
export const fetcher: typeof fetch = mock.fetch;
export async function finish(id: string): Promise<string> {
  await mock.completeTask(id);
  return mock.url;
}
// @ts-expect-error timing is a preset name or explicit delays
useEggapiMock({ timing: 'slow' });
`,
  },
  {
    id: 'conformance',
    entry: '@eggapi/conformance',
    packages: ['@eggapi/conformance', '@eggapi/client', '@eggapi/webhook', '@eggapi/contracts'],
    ...node,
    source: `
import { formatReport, runConformance } from '@eggapi/conformance';
export async function main(): Promise<string> {
  const report = await runConformance({ baseUrl: 'http://127.0.0.1:4010', apiKey: 'sk_test' });
  return formatReport(report, 'junit');
}
// @ts-expect-error the base URL is required
void runConformance({ apiKey: 'sk_test' });
`,
  },
];

/**
 * The tsconfig.json of consumers on `runtime`: strict, NodeNext, and the declarations checked (no
 * skipLibCheck; TypeScript's default libraries excepted), compiling `files`.
 */
export function consumerTsconfig(runtime: Consumer['runtime'], files: string[]): object {
  return {
    compilerOptions: {
      strict: true,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      lib: runtime === 'web' ? ['es2023', 'dom'] : ['es2023'],
      types: runtime === 'web' ? [] : ['node'],
      skipLibCheck: false,
      // TypeScript's own lib.*.d.ts, the same in every consumer, are not ours to check; checking
      // them was half of each run. A clash of ours with them is still reported in our file.
      skipDefaultLibCheck: true,
      noEmit: true,
    },
    files,
  };
}
