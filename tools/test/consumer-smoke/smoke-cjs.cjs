// @ts-check
/**
 * The CommonJS half of the consumer smoke: every entry through `await import()` (works for ESM
 * packages on every Node) and through `require()` (an entry without a `require` condition loads
 * only where Node can require ES modules: 20.19+, 22.12+). Prints one line `SMOKE <json>`.
 */
'use strict';

async function main() {
  const { installedEntries } = await import('./entries.mjs');
  const results = {};
  for (const { specifier, requireCondition } of installedEntries()) {
    const namespace = await import(specifier);
    const imported = Object.keys(namespace).length;
    /** @type {string} */
    let required;
    try {
      const exports = require(specifier);
      // The same module instance: every export of import() is there, identical.
      required = Object.keys(namespace).every((key) => exports[key] === namespace[key])
        ? 'same exports'
        : 'different exports';
    } catch (error) {
      required = /** @type {NodeJS.ErrnoException} */ (error).code ?? String(error);
    }
    results[specifier] = { requireCondition, imported, required };
  }
  process.stdout.write(`SMOKE ${JSON.stringify({ node: process.version, entries: results })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
