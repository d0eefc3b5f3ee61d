// @ts-check
// The vitest configuration of every package (each package's `test` script points here with
// `--config ../../vitest.shared.mjs --root .`). One file rather than a copy per package: a shared
// module imported by each package would add project-graph edges that the architecture forbids.
import { defineConfig } from 'vitest/config';

// '@eggapi/source' resolves workspace packages to their TypeScript source, so tests need no build.
// No 'import'/'module' here: vitest also hands these conditions to node (`--conditions`), and with
// 'import' node's require() picks the ESM build of dual packages (express's router then gets
// is-promise's namespace object instead of its function). Vite adds import/require itself.
const conditions = ['@eggapi/source', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Integration tests spawn servers and CLIs; CI runs two projects at once on two cores.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Test files of a worker share its module cache: each file no longer imports zod, express,
    // the engine … again (half of some packages' time went to imports). Every file starts and
    // stops what it uses (servers, MSW, fake timers, env), so none depends on a fresh module.
    // The mock server's suites keep isolation (`--isolate` in its scripts): their support modules
    // register hooks once per file at import time.
    isolate: false,
  },
});
