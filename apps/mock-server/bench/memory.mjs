// @ts-check
// Run with --expose-gc: V8 heap growth per stored task, with tasks created through the engine's
// API (as POST /v1/generate does), before and after every task has been read once.
import { GenerateRequestSchema } from '@eggapi/contracts';
import { createMockApp } from '../dist/mock-server.js';

const COUNT = Number(process.argv[2] ?? 100_000);
const gc = /** @type {() => void} */ (globalThis.gc);
if (!gc) throw new Error('run with node --expose-gc');

const KEY = 'sk_test_eggapi';
const BASE = 'http://127.0.0.1:4010';
const { engine, close } = createMockApp({ maxTasks: COUNT, timing: 'instant' });
const settle = () => {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
};
const before = settle();
const ids = [];
for (let i = 0; i < COUNT; i++) {
  const request = GenerateRequestSchema.parse({
    model: 'nanobanana',
    prompt: `A red fox in the snow, take ${i}`,
  });
  const { task } = await engine.createTask({
    apiKey: KEY,
    request,
    baseUrl: BASE,
    idempotencyKey: `bench-${i}`,
  });
  ids.push(task.id);
}
await engine.listUsage(KEY, { page: 1, per_page: 1 }); // every task has ended
const unread = settle();
for (const id of ids) await engine.getTask(KEY, id, BASE);
const read = settle();
const { tasks } = await engine.health();
await close({ abandon: true });
process.stdout.write(
  JSON.stringify({
    tasks,
    bytesPerTask: (unread - before) / COUNT,
    bytesPerReadTask: (read - before) / COUNT,
  }) + '\n',
);
