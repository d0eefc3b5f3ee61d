type Hook = (fn: () => Promise<void>) => void;

/** A test runner stand-in: records hooks in order and runs them on demand. */
export function fakeRunner(): {
  /** vitest's and jest's names. */
  module: { beforeAll: Hook; afterEach: Hook; afterAll: Hook };
  /** node:test's names. */
  nodeTest: { before: Hook; afterEach: Hook; after: Hook };
  /** The hooks registered so far, in order. */
  order(): string[];
  beforeAll(): Promise<void>;
  afterEach(): Promise<void>;
  afterAll(): Promise<void>;
};
