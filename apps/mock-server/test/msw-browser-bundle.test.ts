import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ENTRY = fileURLToPath(new URL('../src/msw/index.ts', import.meta.url));
const NODE_BUILTINS = new Set(builtinModules);

/** Records every import of a Node built-in (`node:x` or a bare `fs`), with who imports it. */
function nodeImports(found: string[]): Plugin {
  return {
    name: 'node-imports',
    setup(bundle) {
      bundle.onResolve({ filter: /.*/ }, (args) => {
        const bare = args.path.replace(/^node:/, '').split('/')[0]!;
        if (args.path.startsWith('node:') || NODE_BUILTINS.has(bare)) {
          found.push(`${args.path} (imported by ${args.importer})`);
          return { path: args.path, external: true };
        }
        return undefined;
      });
    },
  };
}

// The entry's promise: it bundles for a browser page. The bundle is what a page would load, msw
// included; tsconfig.msw.json holds the same for Node-only globals (Buffer, process).
describe('@eggapi/mock-server/msw bundled for the browser', () => {
  it('reaches no node: module and no Node built-in', async () => {
    const found: string[] = [];
    const result = await build({
      entryPoints: [ENTRY],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      conditions: ['@eggapi/source'],
      logLevel: 'silent',
      metafile: true,
      plugins: [nodeImports(found)],
    });
    expect(found).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    // It is the real engine, with the portable PNG encoder, not a stub.
    expect(inputs.some((path) => path.endsWith('src/engine/engine.ts'))).toBe(true);
    expect(inputs.some((path) => path.includes('node_modules/fast-png/'))).toBe(true);
    expect(inputs.some((path) => path.endsWith('src/images/node-png.ts'))).toBe(false);
    expect(result.outputFiles[0]!.text.length).toBeGreaterThan(0);
  });
});
