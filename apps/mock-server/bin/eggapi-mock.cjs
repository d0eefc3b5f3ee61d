#!/usr/bin/env node
// The `eggapi-mock` bin: runs the CLI, bundled into one CommonJS file at build time (dist/cli.cjs).
// Where Node has a module compile cache, it is turned on; it lives in the OS temp dir, so nothing
// is written into the install.
'use strict';
const { existsSync } = require('node:fs');
const { enableCompileCache } = require('node:module');
const path = require('node:path');

const file = path.join(__dirname, '..', 'dist', 'cli.cjs');
if (!existsSync(file)) {
  process.stderr.write(
    `eggapi-mock: ${file} is missing: build the package first ` +
      '(npm run build -w @eggapi/mock-server, or npm start from the repository root)\n',
  );
  process.exit(1);
}
if (typeof enableCompileCache === 'function') enableCompileCache();
require(file);
