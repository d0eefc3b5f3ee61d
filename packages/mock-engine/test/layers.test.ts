import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** Every source file under `dir` (tests excluded), as a path relative to src/. */
function sources(dir: string): string[] {
  return readdirSync(join(SRC, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => join(dir, file));
}

/** The files of src/ that `file` imports (relative specifiers only), relative to src/. */
function localImports(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  return [...text.matchAll(/\bfrom '(\.{1,2}\/[^']+)'|import\('(\.{1,2}\/[^']+)'\)/g)].map((m) =>
    relative(SRC, resolve(dirname(join(SRC, file)), (m[1] ?? m[2])!)).replace(/\.js$/, '.ts'),
  );
}

describe('the layers of @eggapi/mock-engine', () => {
  it('point inward: the engine imports no transport, adapter, pipeline or protocol module', () => {
    // What the engine may use besides itself: its options and clock, the image rules, small utilities.
    const allowed = /^(engine\/|(options|clock)\.ts$|images\/|internal\/)/;
    const outward = sources('engine').flatMap((file) =>
      localImports(file)
        .filter((target) => !allowed.test(target))
        .map((target) => `${file} -> ${target}`),
    );
    expect(outward).toEqual([]);
  });

  it('keep the ports free of adapters: a port imports only the engine', () => {
    const outward = sources('engine/ports').flatMap((file) =>
      localImports(file)
        .filter((target) => !target.startsWith('engine/') && target !== 'options.ts')
        .map((target) => `${file} -> ${target}`),
    );
    expect(outward).toEqual([]);
  });

  it('import no Node built-in anywhere (the package runs on any runtime)', () => {
    const nodeImports = sources('.').filter((file) =>
      /from 'node:|import\('node:/.test(readFileSync(join(SRC, file), 'utf8')),
    );
    expect(nodeImports).toEqual([]);
  });
});
