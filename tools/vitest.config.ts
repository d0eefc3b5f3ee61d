import { defineConfig } from 'vitest/config';

const conditions = ['@eggapi/source', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['test/**/*.test.ts'],
    // These tests spawn npm and nx; they are slow by nature, not flaky.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
