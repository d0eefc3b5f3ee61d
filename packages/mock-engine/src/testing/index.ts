/**
 * `@eggapi/mock-engine/testing`: the mock for a test file in one line, `useEggapiMock()`, over
 * `createFetchHandler` (no port, no Node), and the runner hooks it is built on. Imports no test
 * runner: it uses the one running the file, or the one passed as `test`.
 */
export { useEggapiMock } from './use-eggapi-mock.js';
export type { UseEggapiMockOptions, EggapiMockFixture } from './use-eggapi-mock.js';
export { resolveTestRunner, registerFixture, resetBetweenTests } from './runner-hooks.js';
export type { TestRunnerModule, RunnerHooks, FixtureLifecycle } from './runner-hooks.js';
