#!/usr/bin/env node
// The `eggapi-mock` bin: runs the bundled CLI (cli.cjs) through a V8 code cache. Node 20 has no
// module compile cache, and compiling the 1.5 MB bundle was a third of start-up; with the cache
// (written at build time, rewritten if this Node rejects it) start-up drops by about 100 ms.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const file = fileURLToPath(new URL('./cli.cjs', import.meta.url));
const cacheFile = `${file}.v8cache`;
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const wrapped = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`;
const script = new vm.Script(wrapped, { filename: file, cachedData });
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
if (cachedData === undefined || script.cachedDataRejected) {
  try {
    writeFileSync(cacheFile, script.createCachedData());
  } catch {
    // A read-only install: run without the cache.
  }
}
