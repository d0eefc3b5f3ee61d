// @ts-check
/**
 * The smoke of @eggapi/mock-engine, run with each Node version in a project that installed only
 * msw and the engine's tarballs (with @eggapi/contracts and @eggapi/webhook, its dependencies):
 * imports its entries; creates a task with `createFetchHandler`'s `fetch` (POST /v1/generate),
 * reads it back (GET /v1/tasks/:id) and fetches its image; then does the same with plain
 * `fetch` at the real base URL under msw/node's `setupServer` and `createEggapiHandlers` from
 * @eggapi/mock-engine/msw. Prints one line `SMOKE <json>`; exits non-zero on any failure.
 */
const ENTRIES = [
  '@eggapi/mock-engine',
  '@eggapi/mock-engine/msw',
  '@eggapi/mock-engine/host',
  '@eggapi/mock-engine/testing',
];

/** @type {Record<string, number>} */
const imported = {};
for (const specifier of ENTRIES) imported[specifier] = Object.keys(await import(specifier)).length;

const { createFetchHandler } = await import('@eggapi/mock-engine');
const { createEggapiHandlers } = await import('@eggapi/mock-engine/msw');
const { setupServer } = await import('msw/node');

/**
 * One task through `send` (a Fetch API function): created, read back, its image fetched.
 * @param {(request: Request) => Promise<Response>} send
 * @param {string} baseUrl
 * @param {string} apiKey
 */
async function round(send, baseUrl, apiKey) {
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const created = await send(
    new Request(`${baseUrl}/v1/generate`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: 'nanobanana', prompt: 'A red fox in the snow' }),
    }),
  );
  const { data } = await created.json();
  const polled = await send(new Request(`${baseUrl}/v1/tasks/${data.id}`, { headers }));
  const task = (await polled.json()).data;
  const image = await send(new Request(task.output?.urls?.[0] ?? task.output?.url ?? ''));
  await image.arrayBuffer();
  return {
    created: created.status,
    polled: polled.status,
    sameTask: task.id === data.id,
    status: task.status,
    cost: task.cost,
    image: image.headers.get('content-type'),
  };
}

const handler = createFetchHandler({ timing: 'instant' });
/** @type {unknown} */
let fetchRound;
try {
  fetchRound = await round(handler.fetch, handler.baseUrl, handler.apiKey);
} finally {
  await handler.close();
}

const mock = createEggapiHandlers({ timing: 'instant' });
const server = setupServer(...mock.handlers);
server.listen({ onUnhandledRequest: 'error' });
/** @type {unknown} */
let mswRound;
try {
  mswRound = {
    ...(await round((request) => fetch(request), 'https://api.eggapi.ai', mock.apiKey)),
    baseUrl: mock.baseUrl,
  };
} finally {
  server.close();
  await mock.close();
}

process.stdout.write(
  `SMOKE ${JSON.stringify({ node: process.version, imported, fetch: fetchRound, msw: mswRound })}\n`,
);
