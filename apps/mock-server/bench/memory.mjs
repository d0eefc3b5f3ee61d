// @ts-check
// Run with --expose-gc: V8 heap growth per stored task, with 100,000 tasks created through the
// same code path as POST /v1/generate.
import { GenerateRequestSchema } from '@eggapi/contracts';
import { createMockApp } from '../dist/index.js';

const COUNT = Number(process.argv[2] ?? 100_000);
const gc = /** @type {() => void} */ (globalThis.gc);
if (!gc) throw new Error('run with node --expose-gc');

const { state } = createMockApp({ maxTasks: COUNT, timing: 'instant' });
const settle = () => {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
};
const before = settle();
for (let i = 0; i < COUNT; i++) {
  const request = GenerateRequestSchema.parse({
    model: 'nanobanana',
    prompt: `A red fox in the snow, take ${i}`,
  });
  state.createTask('sk_test_eggapi', request);
}
state.worker.settle();
const after = settle();
state.worker.stop();
process.stdout.write(
  JSON.stringify({ tasks: state.tasks.size, bytesPerTask: (after - before) / COUNT }) + '\n',
);
