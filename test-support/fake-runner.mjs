// @ts-check
/**
 * A test runner stand-in for the `useEggapiMock` fixtures' tests: records the hooks a fixture
 * registers, in order, and runs them when the test says.
 */
export function fakeRunner() {
  /** @type {{ hook: string; fn: () => Promise<void> }[]} */
  const registered = [];
  /** @param {string} hook */
  const registrar = (hook) => (/** @type {() => Promise<void>} */ fn) => {
    registered.push({ hook, fn });
  };
  /** @param {string} hook */
  const runAll = async (hook) => {
    for (const entry of registered.filter((e) => e.hook === hook)) await entry.fn();
  };
  return {
    module: {
      beforeAll: registrar('beforeAll'),
      afterEach: registrar('afterEach'),
      afterAll: registrar('afterAll'),
    },
    nodeTest: {
      before: registrar('beforeAll'),
      afterEach: registrar('afterEach'),
      after: registrar('afterAll'),
    },
    order: () => registered.map((entry) => entry.hook),
    beforeAll: () => runAll('beforeAll'),
    afterEach: () => runAll('afterEach'),
    afterAll: () => runAll('afterAll'),
  };
}
