import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The entries that run outside Node, each in ./entries/. */
export type BundledEntry = 'deno' | 'bun' | 'worker';

/**
 * Bundles `entries/<entry>.ts` with the mock into one self-contained ES module, for a browser-like
 * platform (an import of a Node built-in fails the build), and writes it to `<dir>/<entry>.mjs`.
 * Workspace packages resolve to their TypeScript source, as in the tests.
 * @returns the bundle's path
 */
export async function bundleEntry(entry: BundledEntry, dir: string): Promise<string> {
  const outfile = join(dir, `${entry}.mjs`);
  await build({
    entryPoints: [fileURLToPath(new URL(`./entries/${entry}.ts`, import.meta.url))],
    outfile,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    conditions: ['@eggapi/source'],
    logLevel: 'silent',
  });
  return outfile;
}
