// @ts-check
/**
 * Builds the console (console/: Preact + TypeScript) into dist/console: one minified ES module,
 * its stylesheet and the page. Everything it needs is bundled here, at build time, so the console
 * works offline; the server only serves these files, and only when asked (src/http/console.ts).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const out = here('../dist/console/');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [here('../console/src/main.tsx')],
  outfile: `${out}console.js`,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome111', 'firefox111', 'safari16.4'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  tsconfig: here('../console/tsconfig.json'),
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
for (const file of ['index.html', 'console.css']) {
  copyFileSync(here(`../console/${file}`), `${out}${file}`);
}
