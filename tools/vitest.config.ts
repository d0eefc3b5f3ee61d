import { defineConfig } from 'vitest/config';

const conditions = ['@eggapi/source', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['test/**/*.test.ts'],
    // One scratch directory per run, where the packages are packed once for every test file.
    globalSetup: ['test/support/pack-root.ts'],
    // These tests spawn npm and nx; they are slow by nature, not flaky.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Two files at once (the packing and the one install are made once, under a lock: packed.ts):
    // much of the time goes to processes that wait (npm, servers, browsers).
    maxWorkers: 2,
  },
});
