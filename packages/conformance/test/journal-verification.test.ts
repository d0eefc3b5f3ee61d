import { AuthenticationError, EggAPI } from '@eggapi/client';
import { createFetchHandler, type MockControls } from '@eggapi/mock-engine';
import { createEggapiHandlers } from '@eggapi/mock-engine/msw';
import { startMockServer } from '@eggapi/mock-server';
import { setupServer } from 'msw/node';
import { afterEach, describe, expect, it } from 'vitest';

/** A transport with its test controls, and how the app under test reaches it. */
interface Running {
  controls: MockControls;
  apiKey: string;
  client: (apiKey: string) => EggAPI;
  close(): Promise<void>;
}

const TRANSPORTS: [string, () => Promise<Running>][] = [
  [
    'the HTTP server (startMockServer)',
    async () => {
      const server = await startMockServer({ validateResponses: true });
      return {
        controls: server,
        apiKey: server.apiKey,
        client: (apiKey) => new EggAPI({ apiKey, baseURL: server.url }),
        close: async () => void (await server.close({ abandon: true })),
      };
    },
  ],
  [
    'the MSW handlers (setupServer)',
    () => {
      const mock = createEggapiHandlers({ validateResponses: true });
      const msw = setupServer(...mock.handlers);
      msw.listen({ onUnhandledRequest: 'error' });
      return Promise.resolve({
        controls: mock,
        apiKey: mock.apiKey,
        // The client's defaults: the real base URL, which the handlers answer.
        client: (apiKey) => new EggAPI({ apiKey }),
        close: async () => {
          msw.close();
          await mock.close();
        },
      });
    },
  ],
  [
    'the fetch handler (createFetchHandler)',
    () => {
      const mock = createFetchHandler({ validateResponses: true });
      return Promise.resolve({
        controls: mock,
        apiKey: mock.apiKey,
        client: (apiKey) =>
          new EggAPI({
            apiKey,
            baseURL: mock.baseUrl,
            fetch: (input, init) => mock.fetch(new Request(input, init)),
          }),
        close: async () => void (await mock.close()),
      });
    },
  ],
];

const PROMPT = 'a red fox in fresh snow';
const STALE_KEY = 'sk_stale_key_from_last_year';

/**
 * The code under test, as an app would write it: create an image, show its status, and (with a
 * stale key from an old config) try to list tasks, showing the error.
 */
async function appScript(client: EggAPI, staleClient: EggAPI): Promise<string[]> {
  const shown: string[] = [];
  const task = await client.generate({ model: 'nanobanana', prompt: PROMPT });
  shown.push((await client.tasks.get(task.id)).status);
  try {
    await staleClient.tasks.list();
  } catch (error) {
    if (!(error instanceof AuthenticationError)) throw error;
    shown.push('please sign in again');
  }
  return shown;
}

describe.each(TRANSPORTS)(
  'request verification through %s, driven by @eggapi/client',
  (_name, start) => {
    let running: Running | undefined;
    afterEach(async () => {
      await running?.close();
      running = undefined;
    });

    it('proves what the app sent: one POST with the prompt, the retry with its key, one 401', async () => {
      running = await start();
      const { controls } = running;
      // The first create attempt is rate limited: the client retries it at once, with the same key.
      await controls.injectFault({ kind: '429', route: 'POST /v1/generate', retryAfterSeconds: 0 });
      const shown = await appScript(running.client(running.apiKey), running.client(STALE_KEY));
      expect(shown).toEqual(['completed', 'please sign in again']);

      // Exactly one POST carried the prompt: the refused attempt was answered before its body was read.
      const [created] = await controls.expectRequest({
        method: 'POST',
        path: '/v1/generate',
        body: { model: 'nanobanana', prompt: PROMPT },
      });
      expect(created).toMatchObject({ status: 202, task_id: expect.stringMatching(/^gen_/) });

      // Both attempts carried the same Idempotency-Key, the first answered 429.
      const key = created!.headers['idempotency-key']!;
      expect(key).toMatch(/^[0-9a-f-]{36}$/);
      const attempts = await controls.expectRequest(
        { method: 'POST', path: '/v1/generate', headers: { 'Idempotency-Key': key } },
        { times: 2 },
      );
      expect(attempts.map((a) => `${a.status} ${a.code ?? ''}`)).toEqual([
        '202 ',
        '429 RATE_LIMITED',
      ]);

      // The stale key produced one 401, recorded by its fingerprint (never the key itself).
      const [refused] = await controls.expectRequest({
        headers: { authorization: `Bearer ${STALE_KEY}` },
      });
      expect(refused).toMatchObject({
        method: 'GET',
        path: '/v1/tasks',
        status: 401,
        code: 'UNAUTHORIZED',
        headers: { authorization: 'Bearer sk_s…_year' },
      });
      await controls.expectRequest(
        { path: '/^\\/v1\\//', query: { page: '/^[^1]/' } },
        { times: 0 },
      );
    });

    it('fails a verification with a message that shows the 3 nearest misses', async () => {
      running = await start();
      const { controls } = running;
      await controls.injectFault({ kind: '429', route: 'POST /v1/generate', retryAfterSeconds: 0 });
      await appScript(running.client(running.apiKey), running.client(STALE_KEY));

      await expect(
        controls.expectRequest({
          method: 'POST',
          path: '/v1/generate',
          body: { prompt: 'a red fox' },
        }),
      ).rejects.toThrow(
        [
          'Expected exactly 1 request matching POST /v1/generate body {"prompt":"a red fox"}, but 0 matched (4 recorded).',
          '3 nearest misses:',
          '  1. POST /v1/generate → 202',
          `       body.prompt: expected "a red fox", got "${PROMPT}"`,
          '  2. POST /v1/generate → 429 RATE_LIMITED',
          '       body: expected an object, got nothing',
          '  3. GET /v1/tasks?page=1&per_page=20 → 401 UNAUTHORIZED',
          '       method: expected POST, got GET',
          '       path: expected "/v1/generate", got "/v1/tasks"',
          '       body: expected an object, got nothing',
        ].join('\n'),
      );
    });
  },
);
