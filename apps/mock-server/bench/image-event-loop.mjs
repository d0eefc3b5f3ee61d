// @ts-check
/**
 * `node bench/image-event-loop.mjs` (from apps/mock-server, after a build: it loads
 * dist/images/node-png.js, which `npm run build -w @eggapi/mock-server` writes): how long the event loop
 * stalls while uncached 4k PNGs render, for the renderer in dist/ beside the old synchronous pngjs
 * renderer (copied below, for this comparison only). Each round renders IMAGES images of 4k
 * (alternately 4096x2304 and 2304x4096, each with a new key, so nothing is cached) one after the
 * other, with `perf_hooks.monitorEventLoopDelay({ resolution: 10 })` running; rounds interleave old
 * and new. Prints, per renderer, the median time to render one image and the max and p99
 * event-loop delay over its rounds (an idle loop shows about the 10 ms resolution), plus the new
 * renderer with IMAGES renders in flight at once.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pngjs from 'pngjs';

const BUILT = fileURLToPath(new URL('../dist/images/node-png.js', import.meta.url));
if (!existsSync(BUILT)) {
  console.error(`${BUILT} is missing: build first (npm run build -w @eggapi/mock-server)`);
  process.exit(1);
}
/** @type {{ renderPng: (key: string, index: number, width: number, height: number) => Promise<Buffer> }} */
const { renderPng } = await import(pathToFileURL(BUILT).href);

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const IMAGES = Number(process.env.BENCH_IMAGES ?? 4);
const SIZES = [
  [4096, 2304],
  [2304, 4096],
];

/** The renderer as it was before issue 10 (pngjs, synchronous): for comparison only. */
function oldRenderPng(key, index, width, height) {
  const digest = Buffer.from(key, 'hex');
  const from = [digest[0], digest[1], digest[2]];
  const to = [digest[3], digest[4], digest[5]];
  const row = Buffer.alloc(width * 4);
  for (let x = 0; x < width; x++) {
    const t = width === 1 ? 0 : x / (width - 1);
    for (let c = 0; c < 3; c++) row[x * 4 + c] = Math.round(from[c] + (to[c] - from[c]) * t);
    row[x * 4 + 3] = 255;
  }
  const band = Buffer.from(row.map((v, i) => (i % 4 === 3 ? 255 : 255 - v)));
  const bandStart = Math.floor((height * (index + 1)) / 6);
  const bandEnd = bandStart + Math.max(1, Math.floor(height / 24));

  const png = new pngjs.PNG({ width, height, colorType: 2, inputHasAlpha: true });
  for (let y = 0; y < height; y++) {
    (y >= bandStart && y < bandEnd ? band : row).copy(png.data, y * width * 4);
  }
  return pngjs.PNG.sync.write(png, { colorType: 2, filterType: 2, deflateLevel: 6 });
}

let keys = 0;
const nextKey = () => createHash('sha256').update(`bench image ${keys++}`).digest('hex');

/**
 * Runs `work` with the event-loop delay monitor on (primed by a short wait, so a stall right at
 * the start is seen too); returns the histogram's max and p99 in ms and `work`'s result.
 */
async function monitored(work) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  await sleep(50);
  const result = await work();
  await sleep(50);
  histogram.disable();
  return { maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6, result };
}

/**
 * Renders IMAGES images one after the other, with a short pause between them; resolves with the
 * time of each, in ms.
 */
async function sequential(render) {
  const times = [];
  for (let i = 0; i < IMAGES; i++) {
    const [width, height] = SIZES[i % SIZES.length];
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

/** Renders IMAGES images at once; resolves with the time until all are done, in ms. */
async function concurrent(render) {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IMAGES }, (_, i) => {
      const [width, height] = SIZES[i % SIZES.length];
      return render(nextKey(), i % 6, width, height);
    }),
  );
  return [performance.now() - started];
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const cases = {
  idle: () => monitored(async () => (await sleep(500), [])),
  'old: pngjs PNG.sync.write': () => monitored(() => sequential(oldRenderPng)),
  'new: renderPng (dist)': () => monitored(() => sequential(renderPng)),
  [`new: ${IMAGES} renders at once`]: () => monitored(() => concurrent(renderPng)),
};

// Warm up both renderers (JIT, zlib) on small images.
oldRenderPng(nextKey(), 0, 256, 144);
await renderPng(nextKey(), 0, 256, 144);

/** @type {Record<string, { times: number[]; max: number[]; p99: number[] }>} */
const results = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of Object.entries(cases)) {
    const { maxMs, p99Ms, result } = await run();
    const entry = (results[name] ??= { times: [], max: [], p99: [] });
    entry.times.push(...result);
    entry.max.push(maxMs);
    entry.p99.push(p99Ms);
  }
}

const fmt = (ms) => `${ms.toFixed(1)} ms`;
console.log(
  `4k PNG renders, ${ROUNDS} rounds x ${IMAGES} images, event-loop delay resolution 10 ms (node ${process.version})`,
);
console.table(
  Object.fromEntries(
    Object.entries(results).map(([name, { times, max, p99 }]) => [
      name,
      {
        'render (median)': times.length ? fmt(median(times)) : '-',
        'render (max)': times.length ? fmt(Math.max(...times)) : '-',
        'loop delay max': fmt(Math.max(...max)),
        'loop delay p99 (worst round)': fmt(Math.max(...p99)),
      },
    ]),
  ),
);
console.log(`("${`new: ${IMAGES} renders at once`}": render = until all ${IMAGES} are done)`);
