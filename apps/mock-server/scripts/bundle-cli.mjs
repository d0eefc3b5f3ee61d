// @ts-check
/**
 * Bundles the CLI (dist/main.js and its dependencies) into one CommonJS file, dist/cli.cjs, and
 * installs the package's bin, dist/eggapi-mock.mjs, which runs it through a V8 code cache
 * (scripts/cli-loader.mjs). Node 20 has no module compile cache, and loading express, zod and pino
 * from hundreds of small files dominated start-up. pino-pretty (loaded only for terminals) and
 * swagger-ui-dist (static assets) stay external. The cache is warmed here by one `--help` run.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const dist = (name) => fileURLToPath(new URL(`../dist/${name}`, import.meta.url));

await build({
  entryPoints: [dist('main.js')],
  outfile: dist('cli.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['pino-pretty', 'swagger-ui-dist'],
  // The sources are ESM; in the CommonJS bundle import.meta.url is this file's URL.
  define: { 'import.meta.url': '__eggapiImportMetaUrl' },
  banner: {
    js: "const __eggapiImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
  },
  minify: true,
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(fileURLToPath(new URL('./cli-loader.mjs', import.meta.url)), dist('eggapi-mock.mjs'));
chmodSync(dist('eggapi-mock.mjs'), 0o755);
rmSync(dist('cli.cjs.v8cache'), { force: true });
execFileSync(process.execPath, [dist('eggapi-mock.mjs'), '--help'], { stdio: 'ignore' });
