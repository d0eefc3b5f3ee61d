// @ts-check
// Webhook cost: the mock's CPU per delivery (ending the task, building, signing and POSTing the
// payload, recording the attempt) and deliveries per second to a local receiver (a separate
// process, so its CPU is not counted), with every delivery checked to arrive exactly once.
import { spawn } from 'node:child_process';
import { startMockServer } from '../dist/mock-server.js';

const N = Number(process.env.BENCH_WEBHOOKS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RECEIVER = `
const http = require('node:http');
const seen = new Map();
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const id = JSON.parse(body).task_id;
    seen.set(id, (seen.get(id) ?? 0) + 1);
    res.end('ok');
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write('port ' + server.address().port + '\\n'));
process.stdin.on('data', () => {
  const counts = [...seen.values()];
  process.stdout.write(JSON.stringify({ tasks: seen.size, total: counts.reduce((a, b) => a + b, 0), max: Math.max(0, ...counts) }) + '\\n');
  seen.clear();
});`;

const receiver = spawn(process.execPath, ['-e', RECEIVER], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = [];
const waiting = [];
receiver.stdout.setEncoding('utf8').on('data', (chunk) => {
  for (const line of chunk.split('\n').filter(Boolean))
    (waiting.shift() ?? ((l) => lines.push(l)))(line);
});
const nextLine = () =>
  new Promise((resolve) => (lines.length ? resolve(lines.shift()) : waiting.push(resolve)));
const port = Number(/** @type {string} */ (await nextLine()).split(' ')[1]);
const hook = `http://127.0.0.1:${port}/hook`;

// Tasks end together a moment after they are created; from the first end until the last
// delivery is answered, this process does nothing but end tasks and deliver their webhooks.
const mock = await startMockServer({
  timing: { queueMs: 0, processingMs: 1_000, jitter: 0 },
  webhookSecret: 'whsec_bench',
});
const request = {
  model: 'nanobanana',
  prompt: 'webhook bench',
  aspect_ratio: '16:9',
  num_outputs: 1,
};

async function deliverAll() {
  let delivered = 0;
  let measuring;
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  const off = mock.engine.on((event) => {
    if (event.type === 'task.ended' && !measuring) {
      measuring = { cpu: process.cpuUsage(), started: performance.now() };
    }
    if (event.type === 'delivery.attempted' && event.attempt.status === 200 && ++delivered === N) {
      done({ cpu: process.cpuUsage(measuring.cpu), ms: performance.now() - measuring.started });
    }
  });
  for (let i = 0; i < N; i++) {
    await mock.engine.createTask({
      apiKey: mock.apiKey,
      request: { ...request, prompt: `webhook bench ${i}`, webhook_url: hook },
      baseUrl: mock.url,
    });
  }
  const { cpu, ms } = await finished;
  off();
  await mock.reset();
  return {
    cpuPerDeliveryMs: (cpu.user + cpu.system) / 1000 / N,
    deliveriesPerSecond: N / (ms / 1000),
  };
}

// Warm-up: the path compiled and optimised before anything is measured.
await deliverAll();
receiver.stdin.write('count\n');
await nextLine();

const rounds = [];
for (let r = 0; r < ROUNDS; r++) {
  const round = await deliverAll();
  receiver.stdin.write('count\n');
  const counts = JSON.parse(/** @type {string} */ (await nextLine()));
  if (counts.tasks !== N || counts.total !== N || counts.max !== 1) {
    throw new Error(`deliveries not exactly once: ${JSON.stringify(counts)} for ${N} tasks`);
  }
  rounds.push(round);
}
rounds.sort((a, b) => a.cpuPerDeliveryMs - b.cpuPerDeliveryMs);
const median = rounds[Math.floor(rounds.length / 2)];
await mock.close({ abandon: true });
receiver.kill();
process.stdout.write(JSON.stringify({ n: N, ...median, exactlyOnce: true }) + '\n');
