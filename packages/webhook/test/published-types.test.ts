import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// What another team gets from the published package: the build's .d.ts files and source maps
// (the Nx test target depends on the build). Consumers of every entry from the tarballs (with a
// misuse each, an express 5 app, and the express entry on plain node:http without express or
// @types/express) are type-checked by tools/test/consumer-types.test.ts; this file keeps what
// only it checks: the main entry's declarations never name express, and the source maps.
const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(PACKAGE, 'dist');

/** Every .d.ts reachable from `entry` through relative imports. */
function declarationGraph(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const text = readFileSync(entry, 'utf8');
  for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.[^'"]+)['"]/g)) {
    declarationGraph(resolve(dirname(entry), spec!.replace(/\.js$/, '.d.ts')), seen);
  }
  return seen;
}

beforeAll(() => {
  if (!existsSync(join(DIST, 'index.d.ts'))) {
    throw new Error('no dist/: build first (npx nx run @eggapi/webhook:build)');
  }
});

describe('the published types', () => {
  it('main entry: index.d.ts and everything it imports never mention express outside comments', () => {
    const files = [...declarationGraph(join(DIST, 'index.d.ts'))];
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const code = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '');
      expect(code, file).not.toMatch(/express/i);
    }
    // The check sees what it should: the express entry does name the global Express namespace.
    expect(readFileSync(join(DIST, 'express.d.ts'), 'utf8')).toMatch(/namespace Express/);
  });
});

describe('the published source maps', () => {
  it('embed their sources and no declaration map points at unshipped files', () => {
    const files = readdirSync(DIST, { recursive: true }).map(String);
    const maps = files.filter((file) => file.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(3);
    for (const file of maps) {
      const map = JSON.parse(readFileSync(join(DIST, file), 'utf8')) as {
        sources: string[];
        sourcesContent?: (string | null)[];
      };
      expect(map.sourcesContent, file).toHaveLength(map.sources.length);
      for (const content of map.sourcesContent!) expect(content, file).toEqual(expect.any(String));
    }
    expect(files.filter((file) => file.endsWith('.d.ts.map'))).toEqual([]);
  });
});
