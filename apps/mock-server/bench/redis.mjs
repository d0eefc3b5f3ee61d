// @ts-check
/**
 * The Redis store's cost, in one run (part of `npm run bench`; alone: `node bench/redis.mjs`):
 * GET /v1/tasks/:id and POST /v1/generate req/s of the built CLI with the memory store and with
 * the Redis store (a private redis-server from test-support), then two instances on that Redis
 * with the load spread over both vs one instance. Same load generator and connections as the
 * main bench (bench/support.mjs); the runs of a round are alternated, and their order reversed
 * every other round, so that noise from the rest of this 2-core machine hits every side alike.
 * Also the CPU each request costs the mock and redis-server, read from /proc and INFO.
 * Prints one JSON line (`{ skipped }` when redis-server is not installed). Target (issue #12):
 * Redis GET ≥ 0.5× memory.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { serviceAvailable, startRedisServer } from '../../../test-support/services.mjs';
import { CONNECTIONS, DURATION, ROUNDS, load, startChild } from './support.mjs';

const here = (/** @type {string} */ p) => fileURLToPath(new URL(p, import.meta.url));
const CLI = here('../bin/eggapi-mock.cjs');
const KEY = 'sk_test_eggapi';
const BODY = JSON.stringify({ model: 'nanobanana', prompt: 'A red fox in the snow' });
const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const WARM_UP_S = 1;

if (!serviceAvailable('redis-server', 'redis-server', "the mock server's Redis bench")) {
  process.stdout.write(
    JSON.stringify({
      skipped: 'redis-server is not installed (apt-get install -y redis-server)',
    }) + '\n',
  );
  process.exit(0);
}

const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
/** CPU milliseconds a process has used so far (user + system), from /proc. */
function cpuMsOf(/** @type {number} */ pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime
}

const redisServer = await startRedisServer();
const admin = new Redis(redisServer.url);
/** redis-server's CPU milliseconds so far (INFO cpu; its own process, whatever its pid). */
async function redisCpuMs() {
  const info = await admin.info('cpu');
  const value = (/** @type {string} */ name) =>
    Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (value('used_cpu_user') + value('used_cpu_sys')) * 1000;
}

/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();
/** The built CLI as `npm start` runs it (request log on, JSON to a pipe), instant timing. */
async function startMock(/** @type {string[]} */ extra = []) {
  const mock = await startChild(
    [CLI, '--port', '0', '--timing', 'instant', '--log-format', 'json', ...extra],
    { LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info' },
  );
  children.add(mock.child);
  mock.child.once('exit', () => children.delete(mock.child));
  return mock;
}
async function stopMock(/** @type {{ child: import('node:child_process').ChildProcess }} */ mock) {
  if (mock.child.exitCode !== null) return;
  const exited = new Promise((resolve) => mock.child.once('exit', resolve));
  mock.child.kill('SIGTERM');
  await exited;
}

const PREFIX = `bench-${process.pid}`;
const onRedis = ['--redis-url', redisServer.url, '--redis-prefix', PREFIX];

/**
 * One measured run: req/s and p99 of `url` (one or several), and the CPU milliseconds per request
 * of the mocks in `pids` and of redis-server.
 * @param {string | string[]} url
 * @param {Record<string, unknown>} options
 * @param {number[]} pids
 */
async function measure(url, options, pids) {
  const cpuBefore = pids.map(cpuMsOf);
  const redisBefore = await redisCpuMs();
  const started = performance.now();
  const result = await load(url, options);
  const seconds = (performance.now() - started) / 1000;
  const requests = result.rps * seconds;
  const mockCpu = pids.reduce((sum, pid, i) => sum + cpuMsOf(pid) - (cpuBefore[i] ?? 0), 0);
  return {
    ...result,
    mockCpuMs: mockCpu / requests,
    redisCpuMs: ((await redisCpuMs()) - redisBefore) / requests,
  };
}

/** @param {number} n */
const fixed = (n) => Math.round(n * 1000) / 1000;
/** @param {Awaited<ReturnType<typeof measure>>} m */
const shown = (m) => ({
  rps: Math.round(m.rps),
  p99: m.p99,
  mockCpuMs: fixed(m.mockCpuMs),
  redisCpuMs: fixed(m.redisCpuMs),
});

let result;
try {
  const memory = await startMock();
  const a = await startMock(onRedis);
  const create = async (/** @type {string} */ url) =>
    /** @type {{ data: { id: string } }} */ (
      await (await fetch(`${url}/v1/generate`, { method: 'POST', headers, body: BODY })).json()
    ).data.id;
  const memoryTask = await create(memory.url);
  const redisTask = await create(a.url);
  const get = { headers };
  const post = { method: 'POST', headers, body: BODY };

  /**
   * ROUNDS rounds of: the memory mock, one Redis instance (A), and two (A + B, B started for the
   * run, the connections spread over both), in alternating order. Each round gives the ratio
   * Redis/memory and two/one; for each ratio the round with its median is kept.
   * @param {(url: string) => string} path
   * @param {Record<string, unknown>} options
   * @param {string} memoryPath
   */
  const compare = async (path, options, memoryPath) => {
    for (const url of [memoryPath, path(a.url)]) {
      await load(url, { ...options, duration: WARM_UP_S });
    }
    const rounds = [];
    for (let i = 0; i < ROUNDS; i++) {
      const round = {};
      const steps = [
        async () => (round.memory = await measure(memoryPath, options, [memory.child.pid ?? 0])),
        async () => (round.one = await measure(path(a.url), options, [a.child.pid ?? 0])),
        async () => {
          const b = await startMock(onRedis);
          await load(path(b.url), { ...options, duration: WARM_UP_S });
          const pids = [a.child.pid ?? 0, b.child.pid ?? 0];
          round.two = await measure([path(a.url), path(b.url)], options, pids);
          await stopMock(b);
        },
      ];
      if (i % 2 === 1) steps.reverse();
      for (const step of steps) await step();
      rounds.push(
        /** @type {{ memory: Awaited<ReturnType<typeof measure>>, one: Awaited<ReturnType<typeof measure>>, two: Awaited<ReturnType<typeof measure>> }} */ (
          round
        ),
      );
    }
    const median = (/** @type {(r: (typeof rounds)[number]) => number} */ ratio) =>
      /** @type {(typeof rounds)[number]} */ (
        [...rounds].sort((x, y) => ratio(x) - ratio(y))[Math.floor(rounds.length / 2)]
      );
    const vsMemory = median((r) => r.one.rps / r.memory.rps);
    const twoVsOne = median((r) => r.two.rps / r.one.rps);
    return {
      memory: shown(vsMemory.memory),
      redis: shown(vsMemory.one),
      ratio: fixed(vsMemory.one.rps / vsMemory.memory.rps),
      ratios: rounds.map((r) => fixed(r.one.rps / r.memory.rps)),
      one: shown(twoVsOne.one),
      two: shown(twoVsOne.two),
      twoVsOne: fixed(twoVsOne.two.rps / twoVsOne.one.rps),
      twoVsOneRatios: rounds.map((r) => fixed(r.two.rps / r.one.rps)),
    };
  };

  const getResult = await compare(
    (url) => `${url}/v1/tasks/${redisTask}`,
    get,
    `${memory.url}/v1/tasks/${memoryTask}`,
  );
  const postResult = await compare(
    (url) => `${url}/v1/generate`,
    post,
    `${memory.url}/v1/generate`,
  );
  result = {
    redis: /** @type {string} */ (
      /redis_version:(\S+)/.exec(await admin.info('server'))?.[1] ?? '?'
    ),
    connections: CONNECTIONS,
    duration: DURATION,
    rounds: ROUNDS,
    get: getResult,
    post: postResult,
  };
} finally {
  for (const child of children) child.kill('SIGKILL');
  admin.disconnect();
  await redisServer.close();
}
process.stdout.write(JSON.stringify(result) + '\n');
