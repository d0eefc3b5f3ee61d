import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('.', import.meta.url));
const sources = readdirSync(SRC, { recursive: true })
  .map(String)
  .filter((file) => file.endsWith('.ts') && !/\.(test|bench)\.ts$/.test(file));

/** The file's code without its comments (JSDoc may well mention `process.env`). */
function code(file: string): string {
  return readFileSync(join(SRC, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
}

/**
 * The build (tsconfig.lib.json: lib ES2023 + DOM, no @types/node) already refuses Node globals;
 * these checks name the offending file when someone adds one anyway.
 */
describe('the shipped source runs wherever fetch does', () => {
  it.each(sources)('%s imports nothing from node: and uses no Node-only global', (file) => {
    const text = code(file);
    expect(text).not.toMatch(/from ['"]node:|require\(|import\(['"]node:/);
    expect(text).not.toMatch(/\bBuffer\b|\b__dirname\b|\bsetImmediate\b/);
    // process is read in one guarded place only.
    if (file !== join('internal', 'env.ts')) expect(text).not.toMatch(/\bprocess\b/);
  });

  it('imports no workspace package but @eggapi/contracts', () => {
    for (const file of sources) {
      for (const [, spec] of code(file).matchAll(/from ['"]([^.'"][^'"]*)['"]/g)) {
        expect(spec, file).toBe('@eggapi/contracts');
      }
    }
  });
});
