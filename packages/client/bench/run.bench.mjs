// `client.run()` with default options against a server that answers like the mock server in
// instant mode (202 `pending` on create, `completed` on the first GET), side by side with a
// hand-written create + poll loop. Run `npm run bench` after `npm run build` (or
// `npx nx run @eggapi/client:bench`). Target: ≤ 10 ms per task; waiting must cost no more than
// the work. The client may not import the mock server (tools/dependency-rules.mjs), so the
// server is a few lines of node:http here.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';

const dist = new URL('../dist/index.js', import.meta.url);
if (!existsSync(dist)) {
  console.error('dist/ is missing: run `npm run build` (or `npx nx run @eggapi/client:bench`).');
  process.exit(1);
}
const { EggAPI } = await import(dist.href);

const TASKS = Number(process.env.BENCH_TASKS ?? 500);
const TARGET_MS = 10;

let next = 0;
/** A task as the spec's pages show it, `pending` or `completed`. */
function task(id, status) {
  const base = {
    id,
    status,
    model: 'nanobanana',
    type: 'image_generate',
    cost: '$0.00',
    created_at: '2026-05-08T10:30:00Z',
  };
  if (status !== 'completed') return base;
  const url = `https://file.eggapi.ai/images/${id}/0.png`;
  return {
    ...base,
    output: { url, urls: [url] },
    cost: '$0.0100',
    started_at: '2026-05-08T10:30:01Z',
    completed_at: '2026-05-08T10:30:01Z',
  };
}

const server = createServer((req, res) => {
  const send = (status, data) =>
    res
      .writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_${next}` })
      .end(JSON.stringify({ data, error: null }));
  if (req.method === 'POST' && req.url === '/v1/generate') {
    req.resume();
    req.on('end', () => send(202, task(`gen_${++next}`, 'pending')));
  } else if (req.method === 'GET' && req.url?.startsWith('/v1/tasks/')) {
    send(200, task(req.url.slice('/v1/tasks/'.length), 'completed'));
  } else {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
const address = server.address();
const baseURL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

const client = new EggAPI({ apiKey: 'sk_bench', baseURL });
const params = { model: 'nanobanana', prompt: 'A red fox in fresh snow' };
const headers = { authorization: 'Bearer sk_bench', accept: 'application/json' };

/** What a careful user writes by hand: create, then poll at once until the task has ended. */
async function byHand() {
  const created = await fetch(`${baseURL}/v1/generate`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  const { data } = await created.json();
  for (;;) {
    const polled = await fetch(`${baseURL}/v1/tasks/${data.id}`, { headers });
    const { data: now } = await polled.json();
    if (now.status === 'completed') return now;
    if (now.status === 'failed') throw new Error(now.error);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const cases = {
  'client.run() (default options)': () => client.run(params),
  'hand-written create + poll loop': byHand,
};

function median(xs) {
  const sorted = [...xs].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

const names = Object.keys(cases);
const times = Object.fromEntries(names.map((name) => [name, []]));
for (let i = 0; i < 50; i++) for (const name of names) await cases[name]();
for (let i = 0; i < TASKS; i++) {
  // Alternate which goes first, so that neither always follows the other.
  for (const name of i % 2 ? names : [...names].reverse()) {
    const start = performance.now();
    const done = await cases[name]();
    times[name].push(performance.now() - start);
    if (done.status !== 'completed') throw new Error(`${name}: ${done.status}`);
  }
}
server.close();

console.log(`run() against an instant server (202 pending, then completed), ${TASKS} tasks each`);
for (const name of names) {
  const ms = median(times[name]);
  const p95 = [...times[name]].sort((x, y) => x - y)[Math.floor(times[name].length * 0.95)];
  console.log(`  ${name.padEnd(34)}: ${ms.toFixed(2)} ms/task median, ${p95.toFixed(2)} ms p95`);
}
const ours = median(times[names[0]]);
console.log(
  `client.run() median ${ours.toFixed(2)} ms/task (target ≤ ${TARGET_MS} ms: ${ours <= TARGET_MS ? 'met' : 'NOT met'})`,
);
