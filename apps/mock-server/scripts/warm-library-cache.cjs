// Build time only (scripts/bundle-cli.mjs spawns it): loads the library bundle as Node 20 does,
// starts a server, answers a create and a poll, closes, and writes the V8 code cache, so the cache
// also holds what the first startMockServer() compiles. Nothing writes it at run time.
'use strict';
const { writeFileSync } = require('node:fs');
const path = require('node:path');
const { loadBundle } = require('../bin/load-bundle.cjs');

const file = path.join(__dirname, '..', 'dist', 'mock-server.cjs');
let script;
const { startMockServer } = loadBundle(file, {
  viaCodeCache: true,
  onScript: (compiled) => (script = compiled),
});

(async () => {
  const server = await startMockServer();
  const headers = { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' };
  const created = await fetch(`${server.url}/v1/generate`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ model: 'nanobanana', prompt: 'warm the code cache' }),
  }).then((response) => response.json());
  await fetch(`${server.url}/v1/tasks/${created.data.id}`, { headers }).then((r) =>
    r.arrayBuffer(),
  );
  await server.close();
  writeFileSync(`${file}.v8cache`, script.createCachedData());
})().catch((error) => {
  process.stderr.write(`warm-library-cache: ${String(error)}\n`);
  process.exit(1);
});
