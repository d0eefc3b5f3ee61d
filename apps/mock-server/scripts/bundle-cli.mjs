// @ts-check
/**
 * Bundles the CLI (dist/main.js and its dependencies) into one CommonJS file, dist/cli.cjs, and
 * installs the package's bin, dist/eggapi-mock.cjs, which runs it through a V8 code cache
 * (scripts/cli-loader.cjs). Node 20 has no module compile cache, and loading express, zod and pino
 * from hundreds of small files dominated start-up. pino-pretty (loaded only for terminals) and
 * swagger-ui-dist (static assets) stay external. The cache is warmed here by one `--help` run.
 */
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const dist = (name) => fileURLToPath(new URL(`../dist/${name}`, import.meta.url));

// express 5 and three of its dependencies each bring their own copy of mime-types (npm nests
// them next to nx's older major), and every copy builds its lookup maps from mime-db at load:
// a few tens of milliseconds of start-up, four times over. One copy serves them all (same
// version, 3.0.x, the range all four ask for).
const expressRequire = createRequire(createRequire(import.meta.url).resolve('express'));
const mimeTypes = expressRequire.resolve('mime-types');
/** @type {import('esbuild').Plugin} */
const oneMimeTypes = {
  name: 'one-mime-types',
  setup(bundle) {
    bundle.onResolve({ filter: /^mime-types$/ }, () => ({ path: mimeTypes }));
  },
};

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
  plugins: [oneMimeTypes],
});
copyFileSync(fileURLToPath(new URL('./cli-loader.cjs', import.meta.url)), dist('eggapi-mock.cjs'));
chmodSync(dist('eggapi-mock.cjs'), 0o755);
rmSync(dist('cli.cjs.v8cache'), { force: true });
await warmCodeCache();

/**
 * Writes the code cache from a real run: start, one request on each hot route, shutdown. The
 * loader writes it on exit (EGGAPI_MOCK_WARM_CODE_CACHE), so it holds every function compiled
 * on the way, not only those of module loading: what start-up and the first requests would
 * otherwise compile lazily.
 */
async function warmCodeCache() {
  const child = spawn(
    process.execPath,
    [dist('eggapi-mock.cjs'), '--port', '0', '--log-level', 'silent', '--timing', 'instant'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, EGGAPI_MOCK_WARM_CODE_CACHE: '1' },
    },
  );
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`eggapi-mock exited (${code}) before listening`)));
  });
  child.stdout.resume();
  const headers = { authorization: 'Bearer sk_test_eggapi', 'content-type': 'application/json' };
  const created = await fetch(`${url}/v1/generate`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ model: 'nanobanana', prompt: 'warm the code cache' }),
  }).then((response) => response.json());
  for (const path of [`/v1/tasks/${created.data.id}`, '/v1/tasks', '/v1/usage', '/v1/nope']) {
    await fetch(`${url}${path}`, { headers }).then((response) => response.arrayBuffer());
  }
  await fetch(`${url}/v1/tasks`).then((response) => response.arrayBuffer());
  child.kill('SIGTERM');
  const code = await exited;
  if (code !== 0) throw new Error(`eggapi-mock exited with ${code} while warming the code cache`);
}
