// @ts-check
// The vitest configuration of every package (each package's `test` script points here with
// `--config ../../vitest.shared.mjs --root .`). One file rather than a copy per package: a shared
// module imported by each package would add project-graph edges that the architecture forbids.
import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// '@eggapi/source' resolves workspace packages to their TypeScript source, so tests need no build.
// No 'import'/'module' here: vitest also hands these conditions to node (`--conditions`), and with
// 'import' node's require() picks the ESM build of dual packages (express's router then gets
// is-promise's namespace object instead of its function). Vite adds import/require itself.
const conditions = ['@eggapi/source', 'node', 'default'];

// A package's hooks for every test file, if it has that file (the mock server's close what its
// test support started). Relative to the working directory, which is the package for every caller
// (its scripts, Nx, tools/scripts/test-stress.mjs: `--root .`), as vitest resolves it to the root.
const PER_FILE_HOOKS = 'test/support/per-file-hooks.ts';

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
    // Support modules register no hooks at import (that would be once per worker): setup files
    // run again for every test file, so per-file hooks go there.
    isolate: false,
    setupFiles: existsSync(PER_FILE_HOOKS) ? [PER_FILE_HOOKS] : [],
  },
});
