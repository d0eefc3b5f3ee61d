// @ts-check
/**
 * `node bench/image-event-loop.mjs` (from apps/mock-server, after a build: it loads
 * dist/images/node-png.js, which `npm run build -w @eggapi/mock-server` writes): how long the event
 * loop stalls while uncached 4k PNGs render, for the server's renderer (fast-png in worker threads)
 * beside fast-png on the main thread (the portable renderer, copied below for this comparison
 * only). Each round renders IMAGES images of 4k (alternately 4096x2304 and 2304x4096, each with a
 * new key, so nothing is cached) one after the other, with
 * `perf_hooks.monitorEventLoopDelay({ resolution: 10 })` running; rounds interleave the cases.
 * Prints, per case, the median time to render one image, the max and p99 event-loop delay over
 * its rounds (an idle loop shows about the 10 ms resolution) and the event loop's utilization in
 * its worst round, plus the workers with IMAGES renders in flight at once. With `--json`, prints
 * the figures as JSON (bench/run.mjs reads them).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { encode } from 'fast-png';

const BUILT = fileURLToPath(new URL('../dist/images/node-png.js', import.meta.url));
if (!existsSync(BUILT)) {
  console.error(`${BUILT} is missing: build first (npm run build -w @eggapi/mock-server)`);
  process.exit(1);
}
/** @typedef {(key: string, index: number, width: number, height: number) => Promise<Uint8Array>} Render */
/** @type {{ createPngWorkers: () => { renderPng: Render, close: () => Promise<void> }, DEFAULT_PNG_WORKERS: number }} */
const { createPngWorkers, DEFAULT_PNG_WORKERS } = await import(pathToFileURL(BUILT).href);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const IMAGES = Number(process.env.BENCH_IMAGES ?? 4);
const SIZES = [
  [4096, 2304],
  [2304, 4096],
];

/** The portable renderer (fast-png on the calling thread): for comparison only. @type {Render} */
function mainThreadRenderPng(key, index, width, height) {
  const digest = Buffer.from(key, 'hex');
  const from = [digest[0], digest[1], digest[2]];
  const to = [digest[3], digest[4], digest[5]];
  const row = new Uint8Array(width * 3);
  const band = new Uint8Array(width * 3);
  for (let x = 0; x < width; x++) {
    const t = width === 1 ? 0 : x / (width - 1);
    for (let c = 0; c < 3; c++) {
      const v = Math.round(from[c] + (to[c] - from[c]) * t);
      row[x * 3 + c] = v;
      band[x * 3 + c] = 255 - v;
    }
  }
  const bandStart = Math.floor((height * (index + 1)) / 6);
  const bandEnd = bandStart + Math.max(1, Math.floor(height / 24));
  const data = new Uint8Array(width * 3 * height);
  for (let y = 0; y < height; y++) {
    data.set(y >= bandStart && y < bandEnd ? band : row, y * width * 3);
  }
  return Promise.resolve(encode({ width, height, data, channels: 3, depth: 8 }));
}

let keys = 0;
const nextKey = () => createHash('sha256').update(`bench image ${keys++}`).digest('hex');

/**
 * Runs `work` with the event-loop delay monitor on (primed by a short wait, so a stall right at
 * the start is seen too); returns the histogram's max and p99 in ms, the event loop's utilization
 * over the run (the share of time it spent running callbacks rather than waiting for events: a
 * delay can also come from other processes taking the CPU, a utilization cannot) and `work`'s
 * result.
 * @param {() => Promise<number[]>} work
 */
async function monitored(work) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const elu = performance.eventLoopUtilization();
  await sleep(50);
  const result = await work();
  await sleep(50);
  const { utilization } = performance.eventLoopUtilization(elu);
  histogram.disable();
  return {
    maxMs: histogram.max / 1e6,
    p99Ms: histogram.percentile(99) / 1e6,
    utilization,
    result,
  };
}

/**
 * Renders IMAGES images one after the other, with a short pause between them; resolves with the
 * time of each, in ms.
 * @param {Render} render
 */
async function sequential(render) {
  const times = [];
  for (let i = 0; i < IMAGES; i++) {
    const [width, height] = /** @type {number[]} */ (SIZES[i % SIZES.length]);
    const started = performance.now();
    const png = await render(nextKey(), i % 6, width, height);
    times.push(performance.now() - started);
    if (!(png.length > 0)) throw new Error('empty PNG');
    // Let the loop reach its timers between images, so that back-to-back synchronous renders
    // show as one stall each rather than one stall of their sum.
    await sleep(20);
  }
  return times;
}

/**
 * Renders IMAGES images at once; resolves with the time until all are done, in ms.
 * @param {Render} render
 */
async function concurrent(render) {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IMAGES }, (_, i) => {
      const [width, height] = /** @type {number[]} */ (SIZES[i % SIZES.length]);
      return render(nextKey(), i % 6, width, height);
    }),
  );
  return [performance.now() - started];
}

const median = (/** @type {number[]} */ values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const workers = createPngWorkers();
const CONCURRENT = `workers: ${IMAGES} renders at once`;
/** @type {Record<string, () => Promise<{ maxMs: number, p99Ms: number, utilization: number, result: number[] }>>} */
const cases = {
  idle: () => monitored(async () => (await sleep(500), [])),
  'fast-png on the main thread': () => monitored(() => sequential(mainThreadRenderPng)),
  [`fast-png in ${DEFAULT_PNG_WORKERS} worker thread(s)`]: () =>
    monitored(() => sequential(workers.renderPng)),
  [CONCURRENT]: () => monitored(() => concurrent(workers.renderPng)),
};
// Warm up both (JIT; the workers start on their first render) on small images.
await mainThreadRenderPng(nextKey(), 0, 256, 144);
await Promise.all(Array.from({ length: 2 }, () => workers.renderPng(nextKey(), 0, 256, 144)));

/** @type {Record<string, { times: number[]; max: number[]; p99: number[]; utilization: number[] }>} */
const results = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of Object.entries(cases)) {
    const { maxMs, p99Ms, utilization, result } = await run();
    const entry = (results[name] ??= { times: [], max: [], p99: [], utilization: [] });
    entry.times.push(...result);
    entry.max.push(maxMs);
    entry.p99.push(p99Ms);
    entry.utilization.push(utilization);
  }
}
await workers.close();

const figures = Object.fromEntries(
  Object.entries(results).map(([name, { times, max, p99, utilization }]) => [
    name,
    {
      renderMedianMs: times.length ? median(times) : null,
      renderMaxMs: times.length ? Math.max(...times) : null,
      loopDelayMaxMs: Math.max(...max),
      loopDelayP99Ms: Math.max(...p99),
      loopUtilization: Math.max(...utilization),
    },
  ]),
);
if (process.argv.includes('--json')) {
  process.stdout.write(
    JSON.stringify({ node: process.version, rounds: ROUNDS, images: IMAGES, figures }) + '\n',
  );
} else {
  const fmt = (/** @type {number | null} */ ms) => (ms === null ? '-' : `${ms.toFixed(1)} ms`);
  console.log(
    `4k PNG renders, ${ROUNDS} rounds x ${IMAGES} images, event-loop delay resolution 10 ms (node ${process.version})`,
  );
  console.table(
    Object.fromEntries(
      Object.entries(figures).map(([name, f]) => [
        name,
        {
          'render (median)': fmt(f.renderMedianMs),
          'render (max)': fmt(f.renderMaxMs),
          'loop delay max': fmt(f.loopDelayMaxMs),
          'loop delay p99 (worst round)': fmt(f.loopDelayP99Ms),
          'loop utilization (worst round)': `${(100 * f.loopUtilization).toFixed(1)} %`,
        },
      ]),
    ),
  );
  console.log(`("${CONCURRENT}": render = until all ${IMAGES} are done)`);
}
