// @ts-check
/**
 * Bundles the CLI (dist/main.js and its dependencies) into one file, dist/eggapi-mock.mjs, the
 * package's `bin`. Node 20 has no module compile cache, and loading express, zod and pino from
 * hundreds of small files dominated start-up; one file starts in well under 300 ms.
 * pino-pretty (loaded only for terminals) and swagger-ui-dist (static assets) stay external.
 */
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('../dist/main.js', import.meta.url).pathname],
  outfile: new URL('../dist/eggapi-mock.mjs', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['pino-pretty', 'swagger-ui-dist'],
  banner: {
    js: [
      '#!/usr/bin/env node',
      "import { createRequire as __eggapiCreateRequire } from 'node:module';",
      "import { fileURLToPath as __eggapiFileURLToPath } from 'node:url';",
      'const require = __eggapiCreateRequire(import.meta.url);',
      'const __filename = __eggapiFileURLToPath(import.meta.url);',
      "const __dirname = __eggapiFileURLToPath(new URL('.', import.meta.url));",
    ].join('\n'),
  },
  logLevel: 'warning',
  legalComments: 'none',
  minify: true,
  keepNames: true,
});
