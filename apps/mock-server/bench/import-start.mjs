// @ts-check
// What every test worker pays: `import('@eggapi/mock-server')` plus the first startMockServer()
// in a fresh process, beside the same for a bare express 5 + zod app (import both, build the app
// of bench/bare-server.mjs, listen on a free port, close): alternated, RUNS each, the median run
// of each side (each run is its own node process).
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const entry = pathToFileURL(fileURLToPath(new URL('../dist/mock-server.js', import.meta.url))).href;
const mock = `
const t0 = performance.now();
const { startMockServer } = await import(${JSON.stringify(entry)});
const t1 = performance.now();
const server = await startMockServer();
const t2 = performance.now();
await server.close();
process.stdout.write(JSON.stringify({ importMs: t1 - t0, startMs: t2 - t1 }));`;
const bare = `
const t0 = performance.now();
const { default: express } = await import(${JSON.stringify(import.meta.resolve('express'))});
const { z } = await import(${JSON.stringify(import.meta.resolve('zod'))});
const t1 = performance.now();
const Request = z.strictObject({ model: z.literal('nanobanana'), prompt: z.string().min(1).max(2000) });
const app = express();
app.get('/bare/:id', (_req, res) => void res.json({}));
app.post('/bare', express.json(), (req, res) => {
  const parsed = Request.safeParse(req.body);
  res.status(parsed.success ? 202 : 400).json({});
});
const server = await new Promise((resolve) => {
  const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
});
const t2 = performance.now();
await new Promise((resolve) => server.close(resolve));
process.stdout.write(JSON.stringify({ importMs: t1 - t0, startMs: t2 - t1 }));`;

/** @param {string} script */
const run = (script) =>
  JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }),
  );
/** @type {{ importMs: number, startMs: number }[][]} */
const [mockRuns, bareRuns] = [[], []];
for (let i = 0; i < RUNS; i++) {
  mockRuns.push(run(mock));
  bareRuns.push(run(bare));
}
/** @param {{ importMs: number, startMs: number }[]} runs */
const median = (runs) =>
  runs.sort((a, b) => a.importMs + a.startMs - (b.importMs + b.startMs))[runs.length >> 1];
process.stdout.write(JSON.stringify({ mock: median(mockRuns), bare: median(bareRuns) }) + '\n');
