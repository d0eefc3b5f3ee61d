import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { readmeExample, type ExampleRuntime } from './readme-examples.js';

/** The README examples that run outside Node's test process. */
export type BundledEntry = Exclude<ExampleRuntime, 'hono'>;

const HERE = fileURLToPath(new URL('.', import.meta.url));

/** Deno's `npm:` specifiers resolve to the workspace's packages. */
const npmSpecifiers: Plugin = {
  name: 'npm-specifiers',
  setup(build) {
    build.onResolve({ filter: /^npm:/ }, (args) =>
      build.resolve(args.path.slice('npm:'.length), {
        kind: args.kind,
        resolveDir: args.resolveDir,
      }),
    );
  },
};

/** The host shims run for their effect: this package's `sideEffects: false` must not drop them. */
const hostShims: Plugin = {
  name: 'host-shims',
  setup(build) {
    build.onResolve({ filter: /^\.\/entries\// }, (args) => ({
      path: join(args.resolveDir, args.path),
      sideEffects: true,
    }));
  },
};

/**
 * Bundles the mock engine README's example for `runtime`, exactly as written there, after the
 * runtime's host shim in `entries/<runtime>.ts` when it has one (the port), into one
 * self-contained ES module for a browser-like platform (an import of a Node built-in fails the
 * build). Workspace packages resolve to their TypeScript source, as in the tests.
 * @returns the bundle's path, `<dir>/<runtime>.mjs`
 */
export async function bundleExample(
  runtime: ExampleRuntime,
  dir: string,
  platform: 'browser' | 'node' = 'browser',
): Promise<string> {
  const outfile = join(dir, `${runtime}.mjs`);
  const shim = runtime === 'deno' || runtime === 'bun' ? `import './entries/${runtime}.ts';\n` : '';
  await build({
    stdin: {
      contents: shim + readmeExample(runtime),
      resolveDir: HERE,
      sourcefile: `README example (${runtime}).ts`,
      loader: 'ts',
    },
    outfile,
    bundle: true,
    platform,
    format: 'esm',
    conditions: ['@eggapi/source'],
    plugins: [npmSpecifiers, hostShims],
    logLevel: 'silent',
  });
  return outfile;
}
