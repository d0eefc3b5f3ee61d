import { startMockServer, type MockServer } from '@eggapi/mock-server';
import { createEggapiHandlers } from '@eggapi/mock-engine/msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForTask } from './seed-wait-for-task.mjs';
import { withUpstreamAt } from './upstream-at.js';

const KEY = 'sk_test_eggapi';
const UPSTREAM = 'https://api.eggapi.ai';

async function create(base: string): Promise<string> {
  const created = await fetch(`${base}/v1/generate`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ model: 'nanobanana', prompt: 'an egg for the seed helper' }),
  });
  expect(created.status).toBe(202);
  return ((await created.json()) as { data: { id: string } }).data.id;
}

// The rest of the matrix: the seed's own `waitForTask`, unchanged, against the Node server
// (its requests for https://api.eggapi.ai sent to the server's port) and the MSW handlers
// (which answer at https://api.eggapi.ai itself, so nothing is rewritten).
describe("the seed's waitForTask helper, unchanged", () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer();
  });
  afterAll(() => server.close({ abandon: true }));

  it('gets a completed task from the Node server', async () => {
    const id = await create(server.url);
    const { result, requested } = await withUpstreamAt(server.url, () => waitForTask(id, KEY));
    expect(result).toMatchObject({ id, status: 'completed' });
    expect(requested).toEqual([`${server.url}/v1/tasks/${id}`]);
  });

  it('gets a completed task from the MSW handlers', async () => {
    const mock = createEggapiHandlers();
    const msw = setupServer(...mock.handlers);
    msw.listen({ onUnhandledRequest: 'error' });
    try {
      const id = await create(UPSTREAM);
      expect(await waitForTask(id, KEY)).toMatchObject({ id, status: 'completed' });
    } finally {
      msw.close();
      await mock.close();
    }
  });
});
