#!/usr/bin/env node
// @ts-check
// `npm run test:stress`: the suites whose tests involve timing (Redis outages and stalls, locks,
// retries and backoff, shutdown, task lifecycles, the CLI's listen/trigger, the console's event
// stream, rate-limit windows, clocks) run ROUNDS times each while a busy loop in a child process
// keeps one core at 100 %. A timing assumption that only holds on an idle machine fails here.
// Needs the build (`npm run build`) and redis-server, as `npm test` does. Exits 1 on any failure.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ROUNDS = Number(process.env.STRESS_ROUNDS ?? 3);

/** @type {{ name: string; dir: string; files: string[]; env?: Record<string, string> }[]} */
const GROUPS = [
  {
    name: 'mock-server: Redis suites',
    dir: 'apps/mock-server',
    files: ['test/redis/', 'test/redis-shared-state.test.ts'],
  },
  {
    name: 'mock-server: shutdown, webhooks, lifecycle, CLI, console, transports, engine',
    dir: 'apps/mock-server',
    files: [
      'test/shutdown.test.ts',
      'test/webhooks.test.ts',
      'test/lifecycle.test.ts',
      'test/replay/lifecycle.test.ts',
      'test/cli.test.ts',
      'test/console.test.ts',
      'test/engine-races.test.ts',
      'test/behaviour/transport.behaviour.test.ts',
      'test/behaviour/engine.behaviour.test.ts',
    ],
  },
  {
    name: 'mock-server on the Redis store: lifecycle, webhooks, console',
    dir: 'apps/mock-server',
    files: ['test/lifecycle.test.ts', 'test/webhooks.test.ts', 'test/console.test.ts'],
    env: { EGGAPI_TEST_STORE: 'redis' },
  },
  {
    name: 'mock-engine: clocks and timers',
    dir: 'packages/mock-engine',
    files: [
      'src/clock.test.ts',
      'src/engine/clock-walk.test.ts',
      'src/adapters/timer-heap.test.ts',
    ],
  },
  {
    name: 'cli: webhooks listen and trigger',
    dir: 'packages/cli',
    files: ['test/webhooks-listen.test.ts', 'test/webhooks-trigger.test.ts'],
  },
  {
    name: 'webhook: Redis replay store, clock tolerance',
    dir: 'packages/webhook',
    files: ['src/redis-replay-store.test.ts', 'src/clock-and-unsigned.test.ts'],
  },
  { name: 'client: retries and backoff', dir: 'packages/client', files: ['src/retry.test.ts'] },
];

/** A busy loop in its own process: one core fully taken until it is killed. */
function startCpuHog() {
  const hog = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  const stop = () => {
    if (hog.exitCode === null && hog.signalCode === null) hog.kill('SIGKILL');
  };
  process.once('exit', stop);
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
    process.once(signal, () => {
      stop();
      process.exit(130);
    });
  }
  return { pid: hog.pid, stop };
}

/**
 * Runs vitest on `group`'s files in its package; resolves with its exit code.
 * @param {(typeof GROUPS)[number]} group
 */
function runGroup(group) {
  return new Promise((resolve) => {
    const args = ['vitest', 'run', '--config', '../../vitest.shared.mjs', '--root', '.'];
    const child = spawn('npx', [...args, ...group.files], {
      cwd: join(ROOT, group.dir),
      env: { ...process.env, ...group.env },
      stdio: 'inherit',
    });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const hog = startCpuHog();
console.log(`test:stress: CPU hog pid ${hog.pid} on one core; ${ROUNDS} rounds\n`);
/** @type {{ round: number; name: string; code: number; seconds: number }[]} */
const results = [];
const started = performance.now();
try {
  for (let round = 1; round <= ROUNDS; round++) {
    for (const group of GROUPS) {
      console.log(`\n=== round ${round}/${ROUNDS}: ${group.name}`);
      const t0 = performance.now();
      const code = /** @type {number} */ (await runGroup(group));
      results.push({ round, name: group.name, code, seconds: (performance.now() - t0) / 1000 });
    }
  }
} finally {
  hog.stop();
}

console.log('\ntest:stress summary (one core busy throughout):');
for (const r of results) {
  const verdict = r.code === 0 ? 'passed' : `FAILED (exit ${r.code})`;
  console.log(
    `  round ${r.round}  ${verdict.padEnd(16)} ${r.seconds.toFixed(1).padStart(6)} s  ${r.name}`,
  );
}
const failed = results.filter((r) => r.code !== 0);
const total = ((performance.now() - started) / 1000).toFixed(0);
console.log(
  failed.length === 0
    ? `\ntest:stress: all ${results.length} runs passed in ${total} s`
    : `\ntest:stress: ${failed.length} of ${results.length} runs FAILED (${total} s)`,
);
process.exit(failed.length === 0 ? 0 : 1);
