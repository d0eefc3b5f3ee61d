/**
 * Finding a test runner's lifecycle hooks and tying a mock's life to them: shared by
 * `@eggapi/mock-engine/testing` and `@eggapi/mock-server/testing`. Imports no runner and no
 * Node module: it takes the runner it is given, or finds it through the globals runners set.
 */

/** A hook registrar, as runners export them: `beforeAll(fn)`, node:test's `before(fn)`. */
type HookRegistrar = (fn: () => Promise<void>) => unknown;

/**
 * A test runner's module, as the `test` option takes it: node:test's (`before`, `after`,
 * `afterEach`), or vitest's or jest's (`beforeAll`, `afterEach`, `afterAll`) — pass
 * `await import("node:test")`, `await import("vitest")` or `await import("@jest/globals")`.
 */
export type TestRunnerModule = {
  readonly [hook in 'before' | 'after' | 'beforeAll' | 'afterAll' | 'afterEach']?: unknown;
};

/** The three hooks a fixture registers, whichever runner offers them. */
export interface RunnerHooks {
  beforeAll: HookRegistrar;
  afterEach: HookRegistrar;
  afterAll: HookRegistrar;
}

// Double quotes in `import("node:test")`: text, not an import (test/layers.test.ts looks for those).
const NO_RUNNER =
  'useEggapiMock found no test runner: call it at the top of a test file (or a describe block) ' +
  'that vitest or jest runs, or pass the runner: useEggapiMock({ test: await import("node:test") }) ' +
  "(or 'vitest' when it runs without `globals: true`)";

/**
 * The hooks of `test` when given, else those of the runner running this file: jest's and
 * vitest's globals (`globals: true`), else vitest's own module as it exposes it to
 * `import.meta.vitest` (in-source testing) without globals. `globals` is where to look (tests).
 *
 * @throws TypeError when `test` is given but lacks the hooks; Error when no runner is found
 */
export function resolveTestRunner(test: unknown, globals: object = globalThis): RunnerHooks {
  if (test !== undefined) {
    const hooks = hooksOf(test);
    if (!hooks) {
      throw new TypeError(
        'invalid useEggapiMock options: test: must be a test runner module with afterEach and ' +
          'beforeAll/afterAll (vitest, jest) or before/after (node:test), e.g. ' +
          `{ test: await import("node:test") }; got ${describe(test)}`,
      );
    }
    return hooks;
  }
  const found =
    hooksOf(globals) ?? hooksOf((globals as { __vitest_index__?: unknown }).__vitest_index__);
  if (!found) throw new Error(NO_RUNNER);
  return found;
}

/** The hooks of `runner` when it has all three (bound to it), else undefined. */
function hooksOf(runner: unknown): RunnerHooks | undefined {
  if ((typeof runner !== 'object' && typeof runner !== 'function') || runner === null) {
    return undefined;
  }
  const module = runner as Record<string, unknown>;
  const hook = (...names: string[]): HookRegistrar | undefined => {
    const name = names.find((candidate) => typeof module[candidate] === 'function');
    if (name === undefined) return undefined;
    const registrar = module[name] as (...args: unknown[]) => unknown;
    return (fn) => Reflect.apply(registrar, runner, [fn]);
  };
  const beforeAll = hook('beforeAll', 'before');
  const afterEach = hook('afterEach');
  const afterAll = hook('afterAll', 'after');
  return beforeAll && afterEach && afterAll ? { beforeAll, afterEach, afterAll } : undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object' && typeof value !== 'function') return typeof value;
  const keys = Object.keys(value).slice(0, 8);
  return keys.length === 0 ? 'an object without hooks' : `an object with ${keys.join(', ')}`;
}

/** What a fixture does with its mock at each hook. */
export interface FixtureLifecycle<T extends object> {
  /** In `beforeAll`: the mock the handle then forwards to. A rejection fails the hook. */
  start(): Promise<T>;
  /** In `afterEach`. */
  afterEach(mock: T): Promise<void>;
  /** In `afterAll`, when `start` succeeded. */
  close(mock: T): Promise<unknown>;
}

/**
 * Registers `beforeAll` (start), `afterEach` and `afterAll` (close), in that order, and returns
 * a handle that forwards every property read to the started mock. Reading one before
 * `beforeAll` ran, after a failed start or after `afterAll` throws an Error saying so.
 */
export function registerFixture<T extends object>(
  runner: RunnerHooks,
  lifecycle: FixtureLifecycle<T>,
): T {
  let state:
    | { phase: 'waiting' }
    | { phase: 'running'; mock: T }
    | { phase: 'failed'; error: unknown }
    | { phase: 'closed' } = { phase: 'waiting' };
  runner.beforeAll(async () => {
    try {
      state = { phase: 'running', mock: await lifecycle.start() };
    } catch (error) {
      state = { phase: 'failed', error };
      throw error;
    }
  });
  runner.afterEach(async () => {
    if (state.phase === 'running') await lifecycle.afterEach(state.mock);
  });
  runner.afterAll(async () => {
    if (state.phase !== 'running') return;
    const { mock } = state;
    state = { phase: 'closed' };
    await lifecycle.close(mock);
  });
  const started = (name: string): T => {
    switch (state.phase) {
      case 'running':
        return state.mock;
      case 'waiting':
        throw new Error(
          `useEggapiMock's handle used outside a test: mock.${name} is ready inside tests, ` +
            'after beforeAll (read it in a test or a hook, not at the top of the file)',
        );
      case 'failed':
        throw new Error(
          `useEggapiMock's mock did not start in beforeAll, so mock.${name} is not there: ${message(state.error)}`,
          { cause: state.error },
        );
      case 'closed':
        throw new Error(
          `useEggapiMock's handle used after afterAll: mock.${name} is gone, the mock is closed`,
        );
    }
  };
  return new Proxy({} as T, {
    get(_target, property) {
      // Probes that inspect or await any value (util.inspect, `await handle`) get nothing.
      if (typeof property === 'symbol' || property === 'then') return undefined;
      const mock = started(property);
      const value: unknown = Reflect.get(mock, property);
      return typeof value === 'function' ? (value.bind(mock) as unknown) : value;
    },
    has(_target, property) {
      return typeof property !== 'symbol' && property in started(property);
    },
    set(_target, property) {
      throw new TypeError(`useEggapiMock's handle is read-only: cannot set ${String(property)}`);
    },
  });
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Between tests: `reset()`, then `clearRequests()` where the mock keeps a request journal, so
 * each test starts from an empty mock.
 */
export async function resetBetweenTests(mock: {
  reset(): Promise<void>;
  clearRequests?: unknown;
}): Promise<void> {
  await mock.reset();
  if (typeof mock.clearRequests === 'function') {
    await (mock.clearRequests as () => unknown).call(mock);
  }
}
