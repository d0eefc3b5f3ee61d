import {
  buildFetchHandler,
  type FetchHandler,
  type FetchHandlerOptions,
} from '../create-fetch-handler.js';
import {
  registerFixture,
  resetBetweenTests,
  resolveTestRunner,
  type TestRunnerModule,
} from './runner-hooks.js';

/** Options of `useEggapiMock`: `createFetchHandler`'s, and the runner to register with. */
export type UseEggapiMockOptions = FetchHandlerOptions & {
  /**
   * The test runner's module, e.g. `await import("node:test")` or `await import("vitest")`.
   * Default: jest's or vitest's, found through the globals they set.
   */
  test?: TestRunnerModule;
};

/** The handle `useEggapiMock` returns: the handler's test controls, ready inside tests. */
export type EggapiMockFixture = Omit<FetchHandler, 'close' | 'fetch'> & {
  /** The handler's `baseUrl`: pass it as the client's base URL. */
  url: string;
  /**
   * A WHATWG `fetch` answered by the mock in this process, no port: pass it to the client, e.g.
   * `new EggAPI({ apiKey: mock.apiKey, baseURL: mock.url, fetch: mock.fetch })`.
   */
  fetch: typeof fetch;
};

/**
 * The mock for a test file in one line: registers `beforeAll` (creates the handler),
 * `afterEach` (`reset()`, and the request journal cleared) and `afterAll` (`close()`) with the
 * runner, and returns a handle whose `url`, `apiKey`, `fetch` and controls work inside tests.
 * Call it at the top of a test file or a describe block.
 *
 * @throws TypeError naming a bad option (at the call, not in a hook); Error when no runner is
 *   found (pass `test`)
 */
export function useEggapiMock(options: UseEggapiMockOptions = {}): EggapiMockFixture {
  const { test, ...handlerOptions } = options;
  // Built now so that a bad option throws here, before any hook is registered.
  const handler = buildFetchHandler(handlerOptions, 'useEggapiMock');
  const runner = resolveTestRunner(test);
  return registerFixture<EggapiMockFixture>(runner, {
    start: () => {
      void handler.engine; // the engine starts here, so that a failing start fails beforeAll
      return Promise.resolve(fixtureOf(handler));
    },
    afterEach: (mock) => resetBetweenTests(mock),
    close: () => handler.close(),
  });
}

/** The handler seen as the fixture: `url` for `baseUrl`, a WHATWG `fetch`; the rest as it is. */
function fixtureOf(handler: FetchHandler): EggapiMockFixture {
  const fetchLike: typeof fetch = (input, init) =>
    handler.fetch(
      input instanceof Request && init === undefined ? input : new Request(input, init),
    );
  return Object.create(handler, {
    url: { get: () => handler.baseUrl, enumerable: true },
    fetch: { value: fetchLike, enumerable: true },
  }) as EggapiMockFixture;
}
