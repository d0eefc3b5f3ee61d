// @ts-check
// What every test worker pays: `import('@eggapi/mock-server')` plus the first startMockServer()
// in a fresh process, median of RUNS (each run is its own node process).
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const entry = pathToFileURL(fileURLToPath(new URL('../dist/mock-server.js', import.meta.url))).href;
const script = `
const t0 = performance.now();
const { startMockServer } = await import(${JSON.stringify(entry)});
const t1 = performance.now();
const server = await startMockServer();
const t2 = performance.now();
await server.close();
process.stdout.write(JSON.stringify({ importMs: t1 - t0, startMs: t2 - t1 }));`;
const runs = [];
for (let i = 0; i < RUNS; i++) {
  runs.push(
    JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }),
    ),
  );
}
runs.sort((a, b) => a.importMs + a.startMs - (b.importMs + b.startMs));
process.stdout.write(JSON.stringify(runs[Math.floor(runs.length / 2)]) + '\n');
