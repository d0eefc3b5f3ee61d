// @ts-check
/**
 * `npm run demo`: the whole toolkit in one run. Starts the mock server, creates a task with the
 * client whose webhook_url points at a local receiver built with @eggapi/webhook's express
 * middleware, shows progress while waiting, prints the verified webhook event and saves the PNG.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildFirst } from './build-first.mjs';

await buildFirst(['@eggapi/mock-server', '@eggapi/client', '@eggapi/webhook']);
const { startMockServer } = await import('@eggapi/mock-server');
const { EggAPI } = await import('@eggapi/client');
const { eggapiWebhook } = await import('@eggapi/webhook/express');
const { default: express } = await import('express');

const secret = `whsec_demo_${randomBytes(8).toString('hex')}`;
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s`;
const say = (/** @type {string} */ line) => process.stdout.write(`${elapsed()}  ${line}\n`);

// 1. The mock server, with a secret and a timing slow enough to watch.
const mock = await startMockServer({
  webhookSecret: secret,
  timing: { queueMs: 700, processingMs: 2500, jitter: 0 },
});
say(`mock server on ${mock.url} (key ${mock.apiKey})`);

// 2. A webhook receiver: express + @eggapi/webhook's middleware, which verifies the signature.
/** @type {(event: import('@eggapi/contracts').WebhookEvent) => void} */
let onEvent = () => {};
const eventReceived = new Promise((resolvePromise) => (onEvent = resolvePromise));
const app = express();
app.post('/eggapi/webhook', eggapiWebhook({ secret }), (req, res) => {
  onEvent(/** @type {any} */ (req).eggapiEvent);
  res.sendStatus(204);
});
const receiver = await new Promise((resolvePromise) => {
  const server = app.listen(0, '127.0.0.1', () => resolvePromise(server));
});
const webhookUrl = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (receiver.address()).port}/eggapi/webhook`;
say(`webhook receiver on ${webhookUrl}`);

try {
  // 3. The client: create, then wait with progress.
  const client = new EggAPI({ apiKey: mock.apiKey, baseURL: mock.url });
  const task = await client.generate({
    model: 'nanobanana',
    prompt: 'A dashboard hero image with glass UI panels',
    aspect_ratio: '16:9',
    webhook_url: webhookUrl,
  });
  say(`created ${task.id}: ${task.status}`);
  const done = await client.tasks.wait(task.id, {
    waitTimeout: 30_000,
    onProgress: (t) => say(`${t.id}: ${t.status}`),
  });
  say(`completed at ${done.completed_at}, cost ${done.cost}`);

  // 4. The verified webhook event.
  // The timer is cleared once the event is in: left pending, it kept the demo alive 10 s more.
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const event = await Promise.race([
    eventReceived,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('no webhook within 10 s')), 10_000);
    }),
  ]).finally(() => clearTimeout(timer));
  say('verified webhook event:');
  process.stdout.write(`${JSON.stringify(event, null, 2)}\n`);

  // 5. The PNG.
  const url = done.output?.url;
  if (!url) throw new Error('the completed task has no output URL');
  const response = await fetch(url);
  const type = response.headers.get('content-type');
  if (!response.ok || type !== 'image/png') {
    const text = (await response.text()).slice(0, 500);
    throw new Error(`the output URL answered ${response.status} (${type}), not a PNG: ${text}`);
  }
  const png = Buffer.from(await response.arrayBuffer());
  const dir = resolve(process.cwd(), 'demo-output');
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, `${done.id}.png`);
  writeFileSync(file, png);
  say(`saved ${png.length} bytes of ${type} to ${file}`);
} finally {
  receiver.close();
  await mock.close();
}
