// Client overhead over raw fetch for `tasks.get`, against a local node:http server in this
// process. Run `npm run bench` after `npm run build` (or `npx nx run @eggapi/client:bench`,
// which builds first). The target, overhead under 10 %, lives here only, never in unit tests.
//
// Method: the calls under comparison alternate one by one (raw, client, client, raw, …) and
// each is timed alone, so both see the same machine at the same moment; medians of the
// per-call times are compared. On a busy shared machine this is steady to about ±1 % (the
// raw-vs-raw control line says how steady), where totals of separate runs swing by ±20 %.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';

const dist = new URL('../dist/index.js', import.meta.url);
if (!existsSync(dist)) {
  console.error('dist/ is missing: run `npm run build` (or `npx nx run @eggapi/client:bench`).');
  process.exit(1);
}
const { EggAPI } = await import(dist.href);
const { TaskEnvelopeSchema } = await import('@eggapi/contracts');

const CALLS = Number(process.env.BENCH_CALLS ?? 6000);
const TARGET = 0.1;

const body = JSON.stringify({
  data: {
    id: 'gen_abc123def456',
    status: 'completed',
    model: 'nanobanana',
    type: 'image_generate',
    output: {
      url: 'https://file.eggapi.ai/images/gen_abc123def456/0.png',
      urls: ['https://file.eggapi.ai/images/gen_abc123def456/0.png'],
    },
    cost: '$0.0100',
    created_at: '2026-05-08T10:30:00Z',
    started_at: '2026-05-08T10:30:01Z',
    completed_at: '2026-05-08T10:30:10Z',
  },
  error: null,
});
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_1' }).end(body);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
const address = server.address();
const baseURL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

const client = new EggAPI({ apiKey: 'sk_bench', baseURL });
const url = `${baseURL}/v1/tasks/gen_abc123def456`;
const headers = { authorization: 'Bearer sk_bench', accept: 'application/json' };

/** The bare minimum by hand: fetch, check the status, parse JSON. */
async function raw() {
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.json()).data;
}

/** By hand with what the client guarantees: an abortable 60 s timeout and contract validation. */
async function rawEquivalent() {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 60_000);
  try {
    const response = await fetch(url, { headers, signal: controller.signal });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return TaskEnvelopeSchema.parse(await response.json()).data;
  } finally {
    clearTimeout(timer);
  }
}

const viaClient = () => client.tasks.get('gen_abc123def456');

function median(xs) {
  const sorted = [...xs].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median µs per call of `a` and of `b`, timed call by call in alternation. */
async function compare(a, b) {
  for (let i = 0; i < 500; i++) await (i % 2 ? a() : b());
  const ta = [];
  const tb = [];
  for (let i = 0; i < CALLS; i++) {
    for (const [call, into] of i % 2
      ? [
          [a, ta],
          [b, tb],
        ]
      : [
          [b, tb],
          [a, ta],
        ]) {
      const start = performance.now();
      await call();
      into.push((performance.now() - start) * 1000);
    }
  }
  return { a: median(ta), b: median(tb) };
}

const control = await compare(raw, raw);
const bare = await compare(raw, viaClient);
const equivalent = await compare(rawEquivalent, viaClient);
server.close();

const rate = (us) => `${(1e6 / us).toFixed(0).padStart(6)} calls/s (${us.toFixed(0)} µs/call)`;
const pct = (x) => `${(x * 100).toFixed(1)} %`;
const overhead = bare.b / bare.a - 1;
console.log(`tasks.get, ${CALLS} sequential calls each, in-process node:http server, medians`);
console.log(`  raw fetch + JSON.parse              : ${rate(bare.a)}`);
console.log(`  @eggapi/client                      : ${rate(bare.b)}`);
console.log(
  `  overhead                            : ${pct(overhead)} (target < ${pct(TARGET)}: ${overhead < TARGET ? 'met' : 'NOT met'})`,
);
console.log(`  raw + signal, timeout, zod by hand  : ${rate(equivalent.a)}`);
console.log(`  @eggapi/client (same run)           : ${rate(equivalent.b)}`);
console.log(`  overhead over the equivalent        : ${pct(equivalent.b / equivalent.a - 1)}`);
console.log(`  control, raw vs raw                 : ${pct(control.b / control.a - 1)}`);
