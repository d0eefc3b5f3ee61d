import {
  serviceAvailable,
  startRedisServer,
  type RedisServer,
} from '../../../../test-support/services.mjs';
import { startMockServer, type MockServer, type MockServerOptions } from '../../src/index.js';

/**
 * `EGGAPI_TEST_STORE=redis` runs the suites on the Redis store (`npm test` does it for the
 * suites whose answers must be the same in both modes): each test file starts its own
 * redis-server (on its first `mockServer()`; `stopRedisServer` stops it after the file), and
 * each server gets a fresh prefix of it.
 */
export const REDIS_MODE = process.env.EGGAPI_TEST_STORE === 'redis';
let redisServer: Promise<RedisServer> | undefined;
let prefixes = 0;

/**
 * Stops the redis-server of `EGGAPI_TEST_STORE=redis`, if this file started one; the next file
 * starts its own. Registered after every test file by `per-file-hooks.ts`: test files share this
 * module (no isolation), so hooks registered here at import would run for the first file only.
 */
export async function stopRedisServer(): Promise<void> {
  const server = redisServer;
  redisServer = undefined;
  await (await server)?.close();
}

async function storeOptions(): Promise<MockServerOptions> {
  if (!REDIS_MODE || !serviceAvailable('redis-server', 'redis-server', 'EGGAPI_TEST_STORE=redis')) {
    return {};
  }
  const { url } = await (redisServer ??= startRedisServer());
  return { redis: { url, prefix: `harness-${++prefixes}`, lockMs: 1_000 } };
}

const running: MockServer[] = [];

/**
 * Closes every server `mockServer()` started; `per-file-hooks.ts` calls it after each test. Tests
 * that care how shutdown ends call close() themselves; the rest abandon at once instead of
 * waiting for their tasks' planned ends.
 */
export async function closeMockServers(): Promise<void> {
  await Promise.all(running.splice(0).map((server) => server.close({ abandon: true })));
}

/** A mock server on port 0 that validates its own answers against the contract; closed after each test. */
export async function mockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const store = await storeOptions();
  const server = await startMockServer({ validateResponses: true, ...store, ...options });
  running.push(server);
  return server;
}

export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/**
 * One real HTTP request; JSON bodies are sent as given (strings raw, objects as JSON), and every
 * state-changing admin request says `Content-Type: application/json` unless told otherwise.
 */
export async function call<T = any>(
  server: Pick<MockServer, 'url' | 'apiKey'>,
  method: string,
  path: string,
  init: {
    body?: unknown;
    headers?: Record<string, string>;
    auth?: string | null;
    /** Gives up (rejects) after this long. */
    timeoutMs?: number;
  } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...init.headers };
  const auth = init.auth === undefined ? server.apiKey : init.auth;
  if (auth !== null) headers.authorization ??= `Bearer ${auth}`;
  let body: string | undefined;
  // As every admin client must: state-changing admin requests say JSON, even without a body.
  if (path.startsWith('/__admin') && method !== 'GET' && method !== 'HEAD') {
    headers['content-type'] ??= 'application/json';
  }
  if (init.body !== undefined) {
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const signal = init.timeoutMs === undefined ? undefined : AbortSignal.timeout(init.timeoutMs);
  const response = await fetch(server.url + path, { method, headers, body, signal });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

export const validRequest = { model: 'nanobanana', prompt: 'A red fox in the snow' };

/** Creates a task and returns its id. */
export async function createTask(
  server: MockServer,
  body: Record<string, unknown> = validRequest,
  headers: Record<string, string> = {},
): Promise<string> {
  const answer = await call(server, 'POST', '/v1/generate', { body, headers });
  if (answer.status !== 202) throw new Error(`create failed: ${answer.status} ${answer.text}`);
  return answer.body.data.id as string;
}
