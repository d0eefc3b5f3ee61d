import { defineConfig } from 'vitest/config';

// '@eggapi/source' resolves workspace packages to their TypeScript source, so tests need no build.
const conditions = ['@eggapi/source', 'import', 'module', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
