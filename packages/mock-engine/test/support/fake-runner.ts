/** A test runner stand-in for the fixtures' tests: records hooks in order and runs them on demand. */
export function fakeRunner() {
  const registered: { hook: string; fn: () => Promise<void> }[] = [];
  const registrar = (hook: string) => (fn: () => Promise<void>) => {
    registered.push({ hook, fn });
  };
  const runAll = async (hook: string) => {
    for (const entry of registered.filter((e) => e.hook === hook)) await entry.fn();
  };
  return {
    /** vitest's and jest's names. */
    module: {
      beforeAll: registrar('beforeAll'),
      afterEach: registrar('afterEach'),
      afterAll: registrar('afterAll'),
    },
    /** node:test's names. */
    nodeTest: {
      before: registrar('beforeAll'),
      afterEach: registrar('afterEach'),
      after: registrar('afterAll'),
    },
    /** The hooks registered so far, in order. */
    order: () => registered.map((entry) => entry.hook),
    beforeAll: () => runAll('beforeAll'),
    afterEach: () => runAll('afterEach'),
    afterAll: () => runAll('afterAll'),
  };
}
