// @ts-check
/**
 * Bundles the CLI (dist/cli/main.js and its dependencies) into one CommonJS file, dist/cli.cjs,
 * which the package's bin (bin/eggapi-mock.cjs) runs, and writes its V8 code cache for Node 20
 * (scripts/warm-code-cache.cjs). Node 20 has no module compile cache, and loading express, zod and pino
 * from hundreds of small files dominated start-up. pino-pretty (loaded only for terminals) and
 * swagger-ui-dist (static assets) stay external. The cache is warmed here by a real start and a
 * few requests (by a `--help` run if that fails).
 */
import { execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const dist = (name) => fileURLToPath(new URL(`../dist/${name}`, import.meta.url));
const WARMER = fileURLToPath(new URL('./warm-code-cache.cjs', import.meta.url));

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
  entryPoints: [dist('cli/main.js')],
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
// The library entry (`import { startMockServer } from '@eggapi/mock-server'`) as one ES module
// too: every test worker that imports it pays its load, and loading hundreds of files cost more
// than the code itself. Its types stay dist/index.d.ts.
await build({
  entryPoints: [dist('index.js')],
  outfile: dist('mock-server.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['pino-pretty', 'swagger-ui-dist'],
  // CommonJS dependencies (express) require Node built-ins; an ES module has no `require`.
  banner: {
    js: "import { createRequire as __eggapiCreateRequire } from 'node:module'; const require = __eggapiCreateRequire(import.meta.url);",
  },
  minify: true,
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [oneMimeTypes],
});
rmSync(dist('cli.cjs.v8cache'), { force: true });
try {
  await warmCodeCache();
} catch (error) {
  // The cache is a start-up optimisation, never a reason to fail the build: warm it with a
  // run that opens no port.
  process.stderr.write(
    `bundle-cli: warming the code cache from a real start failed (${String(error)}); ` +
      'warming it with --help instead\n',
  );
  rmSync(dist('cli.cjs.v8cache'), { force: true });
  execFileSync(process.execPath, [WARMER, '--help'], {
    stdio: 'ignore',
    env: cleanEnv(),
  });
}

/** The environment without the CLI's own settings, so the user's shell cannot change the run. */
function cleanEnv() {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(EGGAPI_|PORT$|HOST$|LOG_LEVEL$)/.test(name)) delete env[name];
  }
  return env;
}

/**
 * Writes the code cache from a real run: start, one request on each hot route, shutdown. The
 * warmer writes it on exit, so it holds every function compiled
 * on the way, not only those of module loading: what start-up and the first requests would
 * otherwise compile lazily. Bounded in time; the server is stopped whatever happens.
 */
async function warmCodeCache() {
  const key = 'sk_warm_code_cache';
  const args = ['--host', '127.0.0.1', '--port', '0', '--api-key', key];
  const child = spawn(
    process.execPath,
    [WARMER, ...args, '--log-level', 'silent', '--timing', 'instant'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: cleanEnv() },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const deadline = setTimeout(() => child.kill('SIGKILL'), 30_000);
  try {
    const url = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const match = /listening on (http:\/\/\S+)/.exec(out);
        if (match) resolve(match[1]);
      });
      child.on('exit', (code) => reject(new Error(`exited (${code}) before listening: ${stderr}`)));
    });
    child.stdout.resume();
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const created = await fetch(`${url}/v1/generate`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: 'nanobanana', prompt: 'warm the code cache' }),
    });
    if (created.status !== 202) throw new Error(`POST /v1/generate answered ${created.status}`);
    const { data } = await created.json();
    for (const path of [`/v1/tasks/${data.id}`, '/v1/tasks', '/v1/usage', '/v1/nope']) {
      await fetch(`${url}${path}`, { headers }).then((response) => response.arrayBuffer());
    }
    await fetch(`${url}/v1/tasks`).then((response) => response.arrayBuffer());
    child.kill('SIGTERM');
    const code = await exited;
    if (code !== 0) throw new Error(`exited with ${code} after SIGTERM: ${stderr}`);
  } finally {
    clearTimeout(deadline);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
