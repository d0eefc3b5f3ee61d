// Benchmark of the built package (run `npm run build` first; `nx run @eggapi/webhook:bench`
// builds it). In one run, on the same body: our verifyWebhook (headers + signature + timestamp +
// JSON.parse + schema) vs a raw createHmac + timingSafeEqual (signature only), the same raw HMAC
// followed by JSON.parse (what a hand-written receiver must do anyway), and the npm
// `standardwebhooks` verify (signature + timestamp + JSON.parse).
// Targets (issue 5): >= 0.9x raw HMAC, faster than standardwebhooks.
// Each case runs ROUNDS times, interleaved, and keeps its best round: the machine may be busy.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { signWebhook, verifyWebhook } from '../dist/index.js';
import { verifyWebhook as verifyWebhookWeb } from '../dist/web.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 0.5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const secret = 'whsec_bench_secret_0123456789';
const timestamp = Math.floor(Date.now() / 1000);
const body = Buffer.from(
  JSON.stringify({
    event: 'task.completed',
    task_id: 'gen_abc123def456',
    status: 'completed',
    model: 'nanobanana',
    output: { urls: ['https://file.eggapi.ai/images/gen_abc123def456/0.png'] },
    cost: '0.010000',
    timestamp,
  }),
);
const headers = signWebhook(body, secret, timestamp);
const nodeHeaders = Object.fromEntries(
  Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]),
);

// Raw: what a hand-written receiver does, signature only.
function rawHmac() {
  const expected = Buffer.from(nodeHeaders['x-eggapi-signature'].slice(7), 'hex');
  const digest = createHmac('sha256', secret)
    .update(`${nodeHeaders['x-eggapi-timestamp']}.`)
    .update(body)
    .digest();
  if (!timingSafeEqual(expected, digest)) throw new Error('mismatch');
}

function rawHmacAndParse() {
  rawHmac();
  return JSON.parse(body.toString());
}

// standardwebhooks: its own header names and base64 secret, the same body.
const swSecret = Buffer.from(secret).toString('base64');
const sw = new Webhook(swSecret);
const swHeaders = {
  'webhook-id': 'msg_bench',
  'webhook-timestamp': String(timestamp),
  'webhook-signature': sw.sign('msg_bench', new Date(timestamp * 1000), body.toString()),
};
const bodyText = body.toString();

const ours = () => verifyWebhook({ payload: body, headers: nodeHeaders, secret });
const standard = () => sw.verify(bodyText, swHeaders);
const oursWeb = () => verifyWebhookWeb({ payload: body, headers: nodeHeaders, secret });

async function measure(fn) {
  for (let i = 0; i < 2000; i++) await fn(); // warm-up
  let ops = 0;
  const end = performance.now() + SECONDS * 1000;
  const start = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < 200; i++) await fn();
    ops += 200;
  }
  return (ops * 1000) / (performance.now() - start);
}

async function measureSync(fn) {
  for (let i = 0; i < 2000; i++) fn();
  let ops = 0;
  const end = performance.now() + SECONDS * 1000;
  const start = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < 200; i++) fn();
    ops += 200;
  }
  return (ops * 1000) / (performance.now() - start);
}

const cases = {
  'raw createHmac + timingSafeEqual': () => measureSync(rawHmac),
  'raw HMAC + JSON.parse': () => measureSync(rawHmacAndParse),
  '@eggapi/webhook verifyWebhook (node)': () => measureSync(ours),
  'standardwebhooks verify': () => measureSync(standard),
  '@eggapi/webhook/web verifyWebhook': () => measure(oursWeb),
};
const results = Object.fromEntries(Object.keys(cases).map((name) => [name, 0]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of Object.entries(cases)) {
    results[name] = Math.max(results[name], await run());
  }
}
const raw = results['raw createHmac + timingSafeEqual'];
const rawParse = results['raw HMAC + JSON.parse'];
const std = results['standardwebhooks verify'];
const mine = results['@eggapi/webhook verifyWebhook (node)'];

console.log(
  `body ${body.length} bytes, best of ${ROUNDS} rounds of ${SECONDS} s per case, node ${process.version}`,
);
console.table(
  Object.entries(results).map(([name, opsPerSecond]) => ({
    name,
    'ops/s': Math.round(opsPerSecond),
    'x raw HMAC': (opsPerSecond / raw).toFixed(2),
  })),
);
console.log(`ours / raw HMAC: ${(mine / raw).toFixed(2)}x (target >= 0.90)`);
console.log(`ours / raw HMAC + JSON.parse: ${(mine / rawParse).toFixed(2)}x`);
console.log(`ours / standardwebhooks: ${(mine / std).toFixed(2)}x (target > 1)`);
