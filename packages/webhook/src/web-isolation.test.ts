import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The web and fetch entries must run on edge runtimes: no `node:` import and no Node-only
// global anywhere in their import graph. `tsconfig.web.json` proves it with the type checker
// (no Node types at all); this test proves it on the source text, so `vitest run` alone catches it.
const SRC = dirname(fileURLToPath(import.meta.url));
const IMPORT = /(?:import|export)\s[^'"]*?from\s+'([^']+)'/g;
const NODE_GLOBALS =
  /\b(?:Buffer|process|require|setImmediate)\s*[.(]|\b__dirname\b|\bBuffer\b\s*[>,)]/;

function localGraph(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  for (const [, specifier] of readFileSync(entry, 'utf8').matchAll(IMPORT)) {
    if (specifier!.startsWith('.')) {
      localGraph(join(dirname(entry), specifier!.replace(/\.js$/, '.ts')), seen);
    }
  }
  return seen;
}

describe.each(['web.ts', 'fetch.ts'])('the import graph of %s', (entry) => {
  const files = [...localGraph(join(SRC, entry))];

  it('reaches the shared verifier', () => {
    expect(files.map((f) => relative(SRC, f))).toContain(join('internal', 'verify.ts'));
  });

  it.each(files.map((f) => [relative(SRC, f), f]))('%s imports no node: module', (_name, file) => {
    const specifiers = [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => m[1]);
    expect(specifiers.filter((s) => s!.startsWith('node:'))).toEqual([]);
    expect(specifiers.filter((s) => !s!.startsWith('.') && !s!.startsWith('@eggapi/'))).toEqual([]);
  });

  it.each(files.map((f) => [relative(SRC, f), f]))('%s uses no Node-only global', (_name, file) => {
    const code = readFileSync(file, 'utf8').replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '');
    expect(code).not.toMatch(NODE_GLOBALS);
  });
});
