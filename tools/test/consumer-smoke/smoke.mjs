// @ts-check
/**
 * The consumer smoke, run with each Node version in a project that installed our tarballs:
 * imports every entry (ESM), starts the mock server from @eggapi/mock-server, runs one task with
 * @eggapi/client's `run()` whose webhook goes to a plain node:http receiver, and verifies that
 * delivery with @eggapi/webhook, and loads the console's page and script from the installed
 * package; then runs one task against @eggapi/mock-server/msw's handlers under msw/node at the
 * client's default base URL, and runs the installed `eggapi` command (@eggapi/cli) on the same
 * Node against the started mock; and asks for Redis mode, whose optional peers (ioredis, bullmq)
 * this project does not install. Prints one line `SMOKE <json>`; exits non-zero on any failure.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { promisify } from 'node:util';
import { installedEntries } from './entries.mjs';

const imported = {};
for (const { specifier } of installedEntries()) {
  imported[specifier] = Object.keys(await import(specifier)).length;
}

const { startMockServer } = await import('@eggapi/mock-server');
const { EggAPI } = await import('@eggapi/client');
const { verifyWebhook } = await import('@eggapi/webhook');

const secret = 'whsec_consumer_smoke';
/** @type {(value: unknown) => void} */
let delivered = () => {};
/** @type {(error: unknown) => void} */
let refused = () => {};
const delivery = new Promise((resolve, reject) => ((delivered = resolve), (refused = reject)));
const receiver = createServer((req, res) => {
  /** @type {Buffer[]} */
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    try {
      delivered(verifyWebhook({ payload: Buffer.concat(chunks), headers: req.headers, secret }));
      res.writeHead(204).end();
    } catch (error) {
      refused(error);
      res.writeHead(400).end();
    }
  });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', () => resolve(undefined)));
const address = /** @type {import('node:net').AddressInfo} */ (receiver.address());

// Redis mode without ioredis and bullmq: refused with what to install (no connection tried).
const redis = await startMockServer({ redis: { url: 'redis://127.0.0.1:1' } }).then(
  async (server) => {
    await server.close();
    return { started: true };
  },
  (/** @type {{ code?: string, install?: string }} */ error) => ({
    code: error.code,
    install: error.install,
  }),
);

const mock = await startMockServer({ webhookSecret: secret });
const timer = setTimeout(() => refused(new Error('no webhook delivery within 15 s')), 15_000);
try {
  const client = new EggAPI({ apiKey: mock.apiKey, baseURL: mock.url });
  const task = await client.run({
    model: 'nanobanana',
    prompt: 'A red fox in the snow',
    webhook_url: `http://127.0.0.1:${address.port}/eggapi/webhook`,
  });
  const event = /** @type {{ event: string, task_id: string }} */ (await delivery);
  // The console's page and assets, built into the package (dist/console) and served from it.
  const page = await fetch(`${mock.url}/console/`);
  const html = await page.text();
  const script = await fetch(`${mock.url}/console/console.js`);
  const scriptBytes = (await script.arrayBuffer()).byteLength;
  const adminList = await fetch(`${mock.url}/__admin/tasks`).then((r) => r.json());
  // Asynchronously: the mock answers from this very process.
  const eggapi = (/** @type {string[]} */ args) =>
    promisify(execFile)(process.execPath, ['node_modules/@eggapi/cli/bin/eggapi.mjs', ...args], {
      env: { ...process.env, EGGAPI_API_KEY: mock.apiKey, EGGAPI_BASE_URL: mock.url },
    });
  const generated = await eggapi(['generate', 'A fox from the CLI', '--wait', '--json']);
  const fromCli = JSON.parse(generated.stdout);
  const listed = JSON.parse((await eggapi(['tasks', 'list', '--json'])).stdout);
  const result = {
    msw: await mswRound(),
    redis,
    node: process.version,
    imported,
    task: { status: task.status, cost: task.cost },
    webhook: { event: event.event, sameTask: event.task_id === task.id },
    console: {
      page: page.status,
      names: html.includes('console.js') && html.includes('console.css'),
      script: script.status,
      scriptBytes,
      listsTask: adminList.data.items[0]?.id === task.id,
    },
    cli: {
      status: fromCli.status,
      listed: listed.items.some((/** @type {{ id: string }} */ t) => t.id === fromCli.id),
    },
  };
  process.stdout.write(`SMOKE ${JSON.stringify(result)}\n`);
} finally {
  clearTimeout(timer);
  receiver.close();
  await mock.close();
}

/** One task through the MSW handlers: no port, the real base URL, answered in this process. */
async function mswRound() {
  const { createEggapiHandlers } = await import('@eggapi/mock-server/msw');
  const { setupServer } = await import('msw/node');
  const handlers = createEggapiHandlers({ timing: 'instant' });
  const server = setupServer(...handlers.handlers);
  server.listen({ onUnhandledRequest: 'error' });
  try {
    const task = await new EggAPI({ apiKey: handlers.apiKey }).run(
      { model: 'nanobanana', prompt: 'A fox without a port' },
      { pollInterval: 10 },
    );
    const image = await fetch(task.output?.urls?.[0] ?? '');
    return { status: task.status, image: image.headers.get('content-type') };
  } finally {
    server.close();
    await handlers.close();
  }
}
