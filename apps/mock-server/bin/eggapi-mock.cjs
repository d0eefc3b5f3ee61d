#!/usr/bin/env node
// The `eggapi-mock` bin: runs the bundled CLI (dist/cli.cjs). It writes nothing into the install:
// on Node 22+ through the module compile cache (kept in the OS temp dir), on Node 20 (which has
// none) through a V8 code cache written at build time next to the bundle and only read here.
// CommonJS on purpose: an ES module entry costs Node's ESM loader another 10-20 ms.
'use strict';
const { existsSync } = require('node:fs');
const path = require('node:path');
const { loadBundle } = require('./load-bundle.cjs');

const file = path.join(__dirname, '..', 'dist', 'cli.cjs');

/** Runs the CLI; the options are `loadBundle`'s (the build writes the code cache through them). */
function runCli(options = {}) {
  if (!existsSync(file)) {
    process.stderr.write(
      `eggapi-mock: ${file} is missing: build the package first ` +
        '(npm run build -w @eggapi/mock-server, or npm start from the repository root)\n',
    );
    process.exit(1);
  }
  const { enableCompileCache } = require('node:module');
  if (!options.viaCodeCache && typeof enableCompileCache === 'function') enableCompileCache();
  loadBundle(file, options);
}

if (require.main === module) runCli();
else module.exports = { runCli, bundleFile: file };
