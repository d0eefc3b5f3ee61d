import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/workspace.js';

/** Plain JavaScript files no type checker covers: ESLint itself must report undefined names. */
const PLACES = [
  'tools/scripts/probe.mjs',
  'packages/client/bench/probe.bench.mjs',
  'apps/mock-server/scripts/probe.mjs',
  'packages/conformance/bin/probe.mjs',
];

async function lint(filePath: string, code: string) {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, filePath) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the lint of .mjs and .cjs scripts', () => {
  it.each(PLACES)('reports an undefined name in %s', async (file) => {
    const messages = await lint(file, 'export const value = undefinedName + 1;\n');
    expect(messages).toContain("no-undef: 'undefinedName' is not defined.");
  });

  it('knows the globals of Node in an ES module, and that require is not one', async () => {
    const code =
      'export const ok = [process.pid, Buffer.alloc(1), performance.now(), fetch, URL];\n' +
      'export const wrong = __dirname;\n';
    expect(await lint('tools/scripts/probe.mjs', code)).toEqual([
      "no-undef: '__dirname' is not defined.",
    ]);
  });

  it('knows require and module in a CommonJS script', async () => {
    const code = "'use strict';\nmodule.exports = require('node:path').join(__dirname, nope);\n";
    expect(await lint('tools/scripts/probe.cjs', code)).toEqual([
      "no-undef: 'nope' is not defined.",
    ]);
  });
});
