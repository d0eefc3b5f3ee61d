#!/usr/bin/env node
// The `eggapi-mock` bin: runs the bundled CLI (dist/cli.cjs). It writes nothing into the install:
// on Node 22+ through the module compile cache (kept in the OS temp dir), on Node 20 (which has
// none) through a V8 code cache written at build time next to the bundle and only read here.
// CommonJS on purpose: an ES module entry costs Node's ESM loader another 10-20 ms.
'use strict';
const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '..', 'dist', 'cli.cjs');

/**
 * Loads and runs the bundle. `viaCodeCache` forces the Node 20 path (the build uses it to write
 * the cache); `onScript` receives the compiled vm.Script.
 */
function runCli({ viaCodeCache = false, onScript } = {}) {
  if (!existsSync(file)) {
    process.stderr.write(
      `eggapi-mock: ${file} is missing: build the package first ` +
        '(npm run build -w @eggapi/mock-server, or npm start from the repository root)\n',
    );
    process.exit(1);
  }
  const { createRequire, enableCompileCache } = require('node:module');
  if (!viaCodeCache && typeof enableCompileCache === 'function') {
    enableCompileCache();
    require(file);
    return;
  }
  const vm = require('node:vm');
  let cachedData;
  try {
    cachedData = readFileSync(`${file}.v8cache`);
  } catch {
    cachedData = undefined;
  }
  // esbuild writes ASCII only, so latin1 reads the same text without UTF-8 decoding.
  const source = readFileSync(file, 'latin1');
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapped, { filename: file, cachedData });
  onScript?.(script);
  const bundle = { exports: {} };
  const dir = path.dirname(file);
  script.runInThisContext()(bundle.exports, createRequire(file), bundle, file, dir);
}

if (require.main === module) runCli();
else module.exports = { runCli, bundleFile: file };
