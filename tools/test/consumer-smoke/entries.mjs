// @ts-check
/**
 * The import specifiers of every JavaScript entry of the @eggapi packages installed in the
 * current directory (read from their package.json `exports`), and whether each has a `require`
 * condition. Shared by the ESM and the CommonJS smoke.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** @typedef {{ specifier: string, requireCondition: boolean }} Entry */

/** @returns {Entry[]} */
export function installedEntries(cwd = process.cwd()) {
  const scope = join(cwd, 'node_modules', '@eggapi');
  return readdirSync(scope).flatMap((name) => {
    const manifest = JSON.parse(readFileSync(join(scope, name, 'package.json'), 'utf8'));
    /** @type {Record<string, unknown>} */
    const exports = manifest.exports ?? {};
    return Object.entries(exports)
      .filter(([key]) => !key.endsWith('.json'))
      .map(([key, target]) => ({
        specifier: key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`,
        requireCondition: typeof target === 'object' && target !== null && 'require' in target,
      }));
  });
}
