// Build time only (scripts/bundle-cli.mjs spawns it): runs the CLI like the bin does on Node 20
// and writes the V8 code cache on exit, after a real start and requests, so the cache also holds
// what start-up and request handling compile. The shipped bin never writes it.
'use strict';
const { writeFileSync } = require('node:fs');
const { runCli, bundleFile } = require('../bin/eggapi-mock.cjs');

runCli({
  viaCodeCache: true,
  onScript: (script) =>
    process.on('exit', () => writeFileSync(`${bundleFile}.v8cache`, script.createCachedData())),
});
