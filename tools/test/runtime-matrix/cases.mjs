// @ts-check
/**
 * The runtime matrix's cases (issue #21), written once and run in every runtime from the packed
 * tarballs (Node and Deno and Bun import them from the installed project; workerd and Chromium
 * run them bundled): the client against a mock on loopback, the Web Crypto verifier on a real
 * delivery of that mock, and the engine's fetch handler in-process. Only WHATWG globals here.
 * Each case reports what it saw, or `{ error }`, so one failure does not hide the others.
 */
import { AuthenticationError, EggAPI, RateLimitError, TaskFailedError } from '@eggapi/client';
import { createFetchHandler } from '@eggapi/mock-engine';
import { verifyWebhook, WebhookVerificationError } from '@eggapi/webhook/web';

/**
 * @typedef {object} MatrixInput
 * @property {string} baseUrl the mock server on 127.0.0.1
 * @property {string} apiKey a key the mock accepts
 * @property {string} secret the mock's webhook secret
 * @property {{ body: string, headers: Record<string, string> }} delivery a delivery the mock sent
 */

/** @param {() => Promise<unknown>} run */
async function reported(run) {
  try {
    return await run();
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/**
 * The error `call` rejects with, as the checks see it.
 * @param {() => Promise<unknown>} call
 */
async function rejection(call) {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, got an answer');
}

/** @param {MatrixInput} input */
async function client({ baseUrl, apiKey }) {
  const client = new EggAPI({ apiKey, baseURL: baseUrl, maxRetries: 0 });
  const created = await client.generate({ model: 'nanobanana', prompt: 'A red fox in the snow' });
  const done = await client.tasks.wait(created.id, { pollInterval: 50, waitTimeout: 20_000 });
  let listed = false;
  for await (const task of client.tasks.list()) if (task.id === created.id) listed = true;
  let usage = 0;
  for await (const record of client.usage.list()) if (record) usage += 1;

  const badKey = await rejection(() =>
    new EggAPI({ apiKey: 'sk_test_not_a_key', baseURL: baseUrl, maxRetries: 0 }).tasks.list(),
  );
  const limited = await rejection(() =>
    client.tasks.list({}, { headers: { 'X-EggAPI-Mock-Fault': '429; retry-after=7' } }),
  );
  const failed = await rejection(() =>
    client.run(
      { model: 'nanobanana', prompt: 'A red fox in the snow' },
      {
        headers: { 'X-EggAPI-Mock-Scenario': 'fail="generation failed: matrix"' },
        pollInterval: 50,
      },
    ),
  );
  return {
    generated: created.status,
    waited: done.status,
    sameTask: done.id === created.id,
    listed,
    usage: usage > 0,
    authentication: badKey instanceof AuthenticationError,
    rateLimit: limited instanceof RateLimitError,
    retryAfter: limited instanceof RateLimitError ? limited.retryAfter : undefined,
    taskFailed: failed instanceof TaskFailedError,
    taskError: failed instanceof TaskFailedError ? failed.task.error : undefined,
  };
}

/** @param {MatrixInput} input */
async function webhook({ secret, delivery }) {
  const accepted = await verifyWebhook({
    payload: delivery.body,
    headers: delivery.headers,
    secret,
  });
  const tampered = delivery.body.replace('"task.completed"', '"task.failed"');
  if (tampered === delivery.body) throw new Error('the delivery is not a task.completed event');
  const refused = await rejection(() =>
    verifyWebhook({ payload: tampered, headers: delivery.headers, secret }),
  );
  return {
    accepted: { event: accepted.event, taskId: accepted.task_id },
    refused: refused instanceof WebhookVerificationError ? refused.reason : String(refused),
  };
}

/** The seed's lifecycle through the engine's fetch handler, in this runtime, without a server. */
async function handler() {
  const mock = createFetchHandler({ timing: 'instant' });
  try {
    const headers = { authorization: `Bearer ${mock.apiKey}`, 'content-type': 'application/json' };
    const created = await mock.fetch(
      new Request(`${mock.baseUrl}/v1/generate`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: 'nanobanana', prompt: 'A red fox in the snow' }),
      }),
    );
    const { data } = await created.json();
    const polled = await mock.fetch(
      new Request(`${mock.baseUrl}/v1/tasks/${data.id}`, { headers }),
    );
    const task = (await polled.json()).data;
    return {
      created: created.status,
      polled: polled.status,
      sameTask: task.id === data.id,
      status: task.status,
    };
  } finally {
    await mock.close();
  }
}

/**
 * Runs every case; resolves with what each saw (never rejects).
 * @param {MatrixInput} input
 */
export async function runMatrix(input) {
  return {
    client: await reported(() => client(input)),
    webhook: await reported(() => webhook(input)),
    handler: await reported(handler),
  };
}
