#!/usr/bin/env node
// The `eggapi-mock` bin: runs the bundled CLI (cli.cjs) through a V8 code cache. Node 20 has no
// module compile cache, and compiling the 1.5 MB bundle was a third of start-up; with the cache
// (written at build time, rewritten if this Node rejects it) start-up drops by about 100 ms.
// CommonJS on purpose: an ES module entry costs Node's ESM loader another 10-20 ms.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const vm = require('node:vm');

const file = `${__dirname}/cli.cjs`;
const cacheFile = `${file}.v8cache`;
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
// esbuild writes ASCII only, so latin1 reads the same text without UTF-8 decoding.
const source = readFileSync(file, 'latin1');
const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
const script = new vm.Script(wrapped, { filename: file, cachedData });
const bundle = { exports: {} };
script.runInThisContext()(bundle.exports, createRequire(file), bundle, file, __dirname);
if (process.env.EGGAPI_MOCK_WARM_CODE_CACHE === '1') {
  // Build time (scripts/bundle-cli.mjs): written on exit, after a start and a few requests, the
  // cache also holds the functions that only start-up and request handling compile.
  process.on('exit', () => writeFileSync(cacheFile, script.createCachedData()));
} else if (cachedData === undefined || script.cachedDataRejected) {
  try {
    writeFileSync(cacheFile, script.createCachedData());
  } catch {
    // A read-only install: run without the cache.
  }
}
