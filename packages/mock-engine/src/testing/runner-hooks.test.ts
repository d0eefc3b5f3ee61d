import { describe, expect, it } from 'vitest';
import { fakeRunner } from '../../../../test-support/fake-runner.mjs';
import { registerFixture, resetBetweenTests, resolveTestRunner } from './runner-hooks.js';

/** A fixture over a plain object, recording what the hooks did with it. */
function recordingFixture(runner = fakeRunner()) {
  const calls: string[] = [];
  const mock = {
    url: 'http://127.0.0.1:1',
    who() {
      return this === mock ? 'the mock' : 'someone else';
    },
  };
  const handle = registerFixture(resolveTestRunner(runner.module), {
    start: () => (calls.push('start'), Promise.resolve(mock)),
    afterEach: () => (calls.push('afterEach'), Promise.resolve()),
    close: () => (calls.push('close'), Promise.resolve()),
  });
  return { runner, calls, handle };
}

describe('resolveTestRunner', () => {
  it('takes vitest/jest names (beforeAll, afterAll) and node:test names (before, after)', () => {
    for (const runner of [fakeRunner().module, fakeRunner().nodeTest]) {
      expect(Object.keys(resolveTestRunner(runner)).sort()).toEqual([
        'afterAll',
        'afterEach',
        'beforeAll',
      ]);
    }
  });

  it('calls the runner’s hook with the runner as this', () => {
    const runner = {
      seen: [] as unknown[],
      beforeAll(this: { seen: unknown[] }) {
        this.seen.push(this);
      },
      afterEach() {},
      afterAll() {},
    };
    resolveTestRunner(runner).beforeAll(async () => {});
    expect(runner.seen).toEqual([runner]);
  });

  it.each([
    ['null', null],
    ['a number', 42],
    ['a string', 'vitest'],
    ['an empty object', {}],
    ['an object without afterEach', { beforeAll: () => {}, afterAll: () => {} }],
    ['an object whose hooks are not functions', { before: 1, after: 2, afterEach: 3 }],
  ])('refuses %s as test, naming the option', (_what, test) => {
    expect(() => resolveTestRunner(test)).toThrow(
      /^invalid useEggapiMock options: test: must be a test runner module/,
    );
  });

  it('finds vitest without globals (this suite runs so), through the module it gives import.meta.vitest', () => {
    expect(globalThis).not.toHaveProperty('beforeAll');
    expect(() => resolveTestRunner(undefined)).not.toThrow();
  });

  it('prefers the globals jest and vitest (globals: true) set', () => {
    const runner = fakeRunner();
    const hooks = resolveTestRunner(undefined, { ...runner.module, __vitest_index__: {} });
    hooks.beforeAll(async () => {});
    hooks.afterAll(async () => {});
    expect(runner.order()).toEqual(['beforeAll', 'afterAll']);
  });

  it('without a runner, says to pass one', () => {
    expect(() => resolveTestRunner(undefined, {})).toThrow(
      /found no test runner.*useEggapiMock\(\{ test: await import\("node:test"\) \}\)/,
    );
  });
});

describe('registerFixture', () => {
  it('registers beforeAll, afterEach and afterAll, in that order, at the call', () => {
    const { runner, calls } = recordingFixture();
    expect(runner.order()).toEqual(['beforeAll', 'afterEach', 'afterAll']);
    expect(calls).toEqual([]);
  });

  it('starts in beforeAll, runs afterEach after each test, closes in afterAll', async () => {
    const { runner, calls, handle } = recordingFixture();
    await runner.beforeAll();
    expect(handle.url).toBe('http://127.0.0.1:1');
    await runner.afterEach();
    await runner.afterEach();
    await runner.afterAll();
    expect(calls).toEqual(['start', 'afterEach', 'afterEach', 'close']);
  });

  it('throws when the handle is read outside a test, before beforeAll', () => {
    const { handle } = recordingFixture();
    expect(() => handle.url).toThrow(
      "useEggapiMock's handle used outside a test: mock.url is ready inside tests, after beforeAll",
    );
    expect(() => 'url' in handle).toThrow(/used outside a test/);
  });

  it('throws when the handle is read after afterAll', async () => {
    const { runner, handle } = recordingFixture();
    await runner.beforeAll();
    await runner.afterAll();
    expect(() => handle.url).toThrow(/used after afterAll: mock\.url is gone/);
  });

  it('forwards methods bound to the mock, and is read-only', async () => {
    const { runner, handle } = recordingFixture();
    await runner.beforeAll();
    // eslint-disable-next-line @typescript-eslint/unbound-method -- detached on purpose: the check
    const { who } = handle;
    expect(who()).toBe('the mock');
    expect(() => Object.assign(handle, { url: 'x' })).toThrow(/read-only: cannot set url/);
  });

  it('is not a thenable and inspects without throwing, before it started', async () => {
    const { handle } = recordingFixture();
    await expect(Promise.resolve(handle)).resolves.toBe(handle);
    expect(() => String(Object.prototype.toString.call(handle))).not.toThrow();
  });

  it('fails beforeAll with the start error, skips afterEach and close, and says why on a read', async () => {
    const runner = fakeRunner();
    const calls: string[] = [];
    const failure = new Error('listen EADDRINUSE: address already in use 127.0.0.1:1');
    const handle = registerFixture<{ url: string }>(resolveTestRunner(runner.module), {
      start: () => Promise.reject(failure),
      afterEach: () => (calls.push('afterEach'), Promise.resolve()),
      close: () => (calls.push('close'), Promise.resolve()),
    });
    await expect(runner.beforeAll()).rejects.toBe(failure);
    await runner.afterEach();
    await runner.afterAll();
    expect(calls).toEqual([]);
    expect(() => handle.url).toThrow(
      /did not start in beforeAll, so mock\.url is not there: listen EADDRINUSE/,
    );
  });
});

describe('resetBetweenTests', () => {
  it('resets, then clears the request journal where there is one', async () => {
    const calls: string[] = [];
    const record = (call: string) => () => (calls.push(call), Promise.resolve());
    await resetBetweenTests({ reset: record('reset') });
    await resetBetweenTests({ reset: record('reset'), clearRequests: record('clearRequests') });
    expect(calls).toEqual(['reset', 'reset', 'clearRequests']);
  });
});
