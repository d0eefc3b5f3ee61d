// Loads one of the package's CommonJS bundles (dist/*.cjs). Node 20 has no module compile cache,
// and compiling a 1.5 MB bundle is most of the cost of loading it, so there a V8 code cache
// written next to the bundle at build time is used — only read, never written here. Newer Node
// versions load the bundle with require() (the bin also turns on their compile cache).
'use strict';
const { readFileSync } = require('node:fs');
const path = require('node:path');

/**
 * Runs the bundle at `file` and returns its exports. `viaCodeCache` forces the code-cache path
 * (the build uses it to write the cache); `onScript` receives the compiled vm.Script.
 */
function loadBundle(file, { viaCodeCache = false, onScript } = {}) {
  const { createRequire, enableCompileCache } = require('node:module');
  if (!viaCodeCache && typeof enableCompileCache === 'function') return require(file);
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
  script.runInThisContext()(bundle.exports, createRequire(file), bundle, file, path.dirname(file));
  return bundle.exports;
}

module.exports = { loadBundle };
