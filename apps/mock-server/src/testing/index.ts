/**
 * `@eggapi/mock-server/testing`: the mock server for a test file in one line,
 * `const mock = useEggapiMock()`, with vitest, jest or node:test.
 */
import {
  registerFixture,
  resetBetweenTests,
  resolveTestRunner,
  type TestRunnerModule,
} from '@eggapi/mock-engine/testing';
// The package's main entry (its bundle once built), not the files behind it: one copy loads.
import {
  resolveOptions,
  startMockServer,
  type MockServer,
  type MockServerOptions,
} from '../index.js';

export type { TestRunnerModule } from '@eggapi/mock-engine/testing';

/** Options of `useEggapiMock`: `startMockServer`'s, and the runner to register with. */
export type UseEggapiMockOptions = MockServerOptions & {
  /**
   * The test runner's module, e.g. `await import('node:test')` or `await import('vitest')`.
   * Default: jest's or vitest's, found through the globals they set.
   */
  test?: TestRunnerModule;
};

/** The handle `useEggapiMock` returns: the running server's `url`, `apiKey` and controls. */
export type MockServerFixture = Omit<MockServer, 'close'>;

/**
 * Starts a mock server for the test file: registers `beforeAll` (`startMockServer(options)`, on
 * port 0 by default), `afterEach` (`reset()`, and the request journal cleared) and `afterAll`
 * (`close({ abandon: true })`) with the runner, and returns a handle whose `url`, `port`,
 * `apiKey` and controls work inside tests. Call it at the top of a test file or a describe block.
 *
 * @throws TypeError naming a bad option (at the call, not in a hook); Error when no runner is
 *   found (pass `test`). A server that fails to start fails `beforeAll` with its error.
 */
export function useEggapiMock(options: UseEggapiMockOptions = {}): MockServerFixture {
  const { test, ...serverOptions } = options;
  resolveOptions(serverOptions);
  const runner = resolveTestRunner(test);
  return registerFixture<MockServer>(runner, {
    start: () => startMockServer(serverOptions),
    afterEach: (server) => resetBetweenTests(server),
    close: (server) => server.close({ abandon: true }),
  });
}
