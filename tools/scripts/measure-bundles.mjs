// Measures what a browser bundle of the contracts, the client, the web verifier and the MSW
// handlers costs: esbuild `--bundle --minify
// --format=esm --platform=browser`, gzip -9, from the built packages (run `npx nx run-many -t build`
// first). A quick figure for development; the budget test in tools/test packs the tarballs.
//   node tools/scripts/measure-bundles.mjs [--meta]   (--meta: the biggest inputs of each bundle)
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'apps/mock-server/package.json'));
const esbuild = await import(require.resolve('esbuild'));

const entries = {
  'contracts: parse one GenerateRequest and one Task': `
    import { GenerateRequestSchema, TaskSchema } from '@eggapi/contracts';
    export const a = GenerateRequestSchema.parse(globalThis.a);
    export const b = TaskSchema.safeParse(globalThis.b);`,
  'client: new EggAPI + run() + tasks.list()': `
    import { EggAPI } from '@eggapi/client';
    const client = new EggAPI({ apiKey: 'k' });
    export const a = await client.run({ model: 'nanobanana', prompt: 'p' });
    export const b = await client.tasks.list();`,
  'webhook/web: verifyWebhook': `
    import { verifyWebhook } from '@eggapi/webhook/web';
    export const a = await verifyWebhook(globalThis.body, globalThis.headers, { secret: 's' });`,
  'mock-engine/msw: createEggapiHandlers (msw external)': `
    import { createEggapiHandlers } from '@eggapi/mock-engine/msw';
    export const a = createEggapiHandlers();`,
};

const dir = mkdtempSync(join(root, 'tmp-measure-'));
try {
  for (const [name, source] of Object.entries(entries)) {
    const file = join(dir, 'entry.mjs');
    writeFileSync(file, source);
    const result = await esbuild.build({
      entryPoints: [file],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      metafile: true,
      logLevel: 'error',
      external: ['msw'],
    });
    const code = result.outputFiles[0].contents;
    const gz = gzipSync(code, { level: 9 }).length;
    console.log(
      `${name}: ${(code.length / 1024).toFixed(1)} KB min, ${(gz / 1024).toFixed(1)} KB gzip`,
    );
    if (process.argv.includes('--meta')) {
      /** @type {Record<string, number>} */
      const byPackage = {};
      for (const [input, { bytesInOutput }] of Object.entries(
        Object.values(result.metafile.outputs)[0].inputs,
      )) {
        const key =
          input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ??
          input.split('/').slice(0, 3).join('/');
        byPackage[key] = (byPackage[key] ?? 0) + bytesInOutput;
      }
      for (const [key, bytes] of Object.entries(byPackage)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 8))
        console.log(`    ${key}: ${(bytes / 1024).toFixed(1)} KB min`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
