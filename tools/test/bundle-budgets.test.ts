import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { webProject } from './support/packed.js';

/**
 * What a browser or an edge worker loads for the common uses of our packages, from the packed
 * tarballs as a consumer installs them (issue #21): each entry below bundled with esbuild
 * (`--bundle --minify --format=esm --platform=browser`), gzipped at level 9, held to its budget.
 * The figures are printed (`BUNDLE …`) for the READMEs' "Size" lines.
 */
const KB = 1024;

interface Budget {
  what: string;
  /** The consumer's module, as written in an app. */
  source: string;
  /** Left to the app's bundler as something it loads anyway. */
  external?: string[];
  gzipBytes: number;
}

const BUDGETS: Budget[] = [
  {
    what: '@eggapi/client: new EggAPI(...) + run() + tasks.list()',
    source: `
      import { EggAPI } from '@eggapi/client';
      const client = new EggAPI({ apiKey: 'sk_test_eggapi' });
      export const task = () => client.run({ model: 'nanobanana', prompt: 'a fox' });
      export const tasks = () => client.tasks.list();`,
    gzipBytes: 20 * KB,
  },
  {
    what: '@eggapi/webhook/web: verifyWebhook',
    source: `
      import { verifyWebhook } from '@eggapi/webhook/web';
      export const verify = (payload, headers) => verifyWebhook({ payload, headers, secret: 'whsec_x' });`,
    gzipBytes: 8 * KB,
  },
  {
    what: '@eggapi/contracts: parsing one GenerateRequest and one Task',
    source: `
      import { GenerateRequestSchema, TaskSchema } from '@eggapi/contracts';
      export const request = (input) => GenerateRequestSchema.parse(input);
      export const task = (input) => TaskSchema.parse(input);`,
    gzipBytes: 12 * KB,
  },
  {
    what: '@eggapi/mock-engine/msw: createEggapiHandlers, msw external',
    source: `
      import { createEggapiHandlers } from '@eggapi/mock-engine/msw';
      export const mock = () => createEggapiHandlers({ timing: 'instant' });`,
    external: ['msw', 'msw/*'],
    gzipBytes: 60 * KB,
  },
];

let project: string;

beforeAll(async () => {
  project = await webProject();
}, 300_000);

/** The consumer's module bundled as the issue measures it: minified and gzipped (-9) sizes. */
async function measure({ source, external = [] }: Budget) {
  const result = await build({
    stdin: { contents: source, resolveDir: project, loader: 'js', sourcefile: 'app.mjs' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    external,
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  return { minBytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength };
}

const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;

describe('bundle budgets from the packed tarballs (esbuild --minify, browser, ESM; gzip -9; 1 KB = 1024 bytes)', () => {
  it.each(BUDGETS.map((b) => [b.what, kb(b.gzipBytes), b] as const))(
    '%s bundles to at most %s gzip',
    async (what, _budget, budget) => {
      const { minBytes, gzipBytes } = await measure(budget);
      const figure = `${what}: ${kb(gzipBytes)} gzip (${gzipBytes} bytes; ${kb(minBytes)} minified), budget ${kb(budget.gzipBytes)} gzip`;
      console.log(`BUNDLE ${figure}`);
      expect(gzipBytes, figure).toBeLessThanOrEqual(budget.gzipBytes);
    },
  );
});
