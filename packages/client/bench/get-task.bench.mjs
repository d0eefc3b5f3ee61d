// Client overhead over raw fetch for `tasks.get`, against a local node:http server in this
// process. Run `npm run bench` after `npm run build` (or `npx nx run @eggapi/client:bench`,
// which builds first). The target, overhead under 10 %, lives here only, never in unit tests.
//
// Like for like: the client always runs with a per-request time limit (default 60 s), and in
// Node 20 handing fetch an AbortSignal costs by itself about 10 % of a loopback round trip. So
// the client is compared with raw fetch under the same limit, and (with `timeout: Infinity`)
// with raw fetch under none; the default client against limitless raw fetch is shown too.
//
// Method: the calls under comparison are interleaved one by one, in a random order each round,
// and each is timed alone, so all see the same machine at the same moment; medians of the
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
const clientNoLimit = new EggAPI({ apiKey: 'sk_bench', baseURL, timeout: Infinity });
const url = `${baseURL}/v1/tasks/gen_abc123def456`;
const headers = { authorization: 'Bearer sk_bench', accept: 'application/json' };

/** The bare minimum by hand: fetch, check the status, parse JSON. No time limit. */
async function raw() {
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.json()).data;
}

/** The same with the client's default per-request time limit (60 s, abortable). */
async function rawWithTimeLimit() {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 60_000);
  try {
    const response = await fetch(url, { headers, signal: controller.signal });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return (await response.json()).data;
  } finally {
    clearTimeout(timer);
  }
}

const cases = {
  raw,
  'raw (control)': raw,
  rawWithTimeLimit,
  client: () => client.tasks.get('gen_abc123def456'),
  clientNoLimit: () => clientNoLimit.tasks.get('gen_abc123def456'),
};

function median(xs) {
  const sorted = [...xs].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

/** `names` in a random order (Fisher-Yates). */
function shuffled(names) {
  const out = [...names];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Median µs per call of each case, timed call by call, the cases in a new random order each
 * round: every case follows every other equally often (a fixed order lets one case always
 * follow the same neighbour, which shifts its figure by a few per cent).
 */
async function measure(named) {
  const names = Object.keys(named);
  const times = Object.fromEntries(names.map((name) => [name, []]));
  for (let i = 0; i < 300; i++) for (const name of names) await named[name]();
  for (let i = 0; i < CALLS; i++) {
    for (const name of shuffled(names)) {
      const start = performance.now();
      await named[name]();
      times[name].push((performance.now() - start) * 1000);
    }
  }
  return Object.fromEntries(names.map((name) => [name, median(times[name])]));
}

const us = await measure(cases);
server.close();

const rate = (name) =>
  `${(1e6 / us[name]).toFixed(0).padStart(6)} calls/s (${us[name].toFixed(0)} µs/call)`;
const over = (a, b) => us[a] / us[b] - 1;
const pct = (x) => `${(x * 100).toFixed(1)} %`;
const verdict = (x) => `target < ${pct(TARGET)}: ${x < TARGET ? 'met' : 'NOT met'}`;
console.log(`tasks.get, ${CALLS} sequential calls each, in-process node:http server, medians`);
console.log(`  raw fetch + JSON, no time limit        : ${rate('raw')}`);
console.log(`  raw fetch + JSON, 60 s time limit      : ${rate('rawWithTimeLimit')}`);
console.log(`  @eggapi/client (default 60 s timeout)  : ${rate('client')}`);
console.log(`  @eggapi/client (timeout: Infinity)     : ${rate('clientNoLimit')}`);
console.log('overhead of the client, like for like:');
console.log(
  `  default client vs raw with the same limit : ${pct(over('client', 'rawWithTimeLimit'))} (${verdict(over('client', 'rawWithTimeLimit'))})`,
);
console.log(
  `  no-limit client vs raw without a limit    : ${pct(over('clientNoLimit', 'raw'))} (${verdict(over('clientNoLimit', 'raw'))})`,
);
console.log('for reference:');
console.log(
  `  default client vs raw without a limit     : ${pct(over('client', 'raw'))} (of which the time limit itself, raw vs raw: ${pct(over('rawWithTimeLimit', 'raw'))})`,
);
console.log(`  control, raw vs raw                       : ${pct(over('raw (control)', 'raw'))}`);
