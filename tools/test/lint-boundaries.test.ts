import { existsSync } from 'node:fs';
import { join } from 'node:path';
import nx from '@nx/eslint-plugin';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { depConstraints } from '../dependency-rules.mjs';
import { ROOT } from './support/workspace.js';

/**
 * Forbidden imports: [importing project dir, module specifier, imported project dir]. Nothing can
 * import @eggapi/cli (a command, it has no module entry); a dependency on it in another package's
 * package.json is caught by the project-graph test.
 */
const FORBIDDEN: [string, string, string][] = [
  ['packages/contracts', '@eggapi/tools/dependency-rules', 'tools'],
  ['packages/contracts', '@eggapi/client', 'packages/client'],
  ['packages/contracts', '@eggapi/webhook', 'packages/webhook'],
  ['packages/client', '@eggapi/webhook', 'packages/webhook'],
  ['packages/client', '@eggapi/mock-server', 'apps/mock-server'],
  ['packages/webhook', '@eggapi/client', 'packages/client'],
  ['packages/webhook', '@eggapi/mock-server', 'apps/mock-server'],
  ['apps/mock-server', '@eggapi/client', 'packages/client'],
  ['apps/mock-server', '@eggapi/conformance', 'packages/conformance'],
  ['packages/cli', '@eggapi/mock-server', 'apps/mock-server'],
  ['packages/cli', '@eggapi/conformance', 'packages/conformance'],
  ['packages/cli', '@eggapi/mock-engine', 'packages/mock-engine'],
  ['packages/client', '@eggapi/mock-engine', 'packages/mock-engine'],
  ['packages/contracts', '@eggapi/mock-engine', 'packages/mock-engine'],
  ['packages/mock-engine', '@eggapi/mock-server', 'apps/mock-server'],
  ['packages/mock-engine', '@eggapi/client', 'packages/client'],
  ['packages/mock-engine', '@eggapi/conformance', 'packages/conformance'],
];

const exists = (dir: string) => existsSync(join(ROOT, dir, 'package.json'));
const cases = FORBIDDEN.filter(([from, , to]) => exists(from) && exists(to));

/** Only the boundaries rule, without type information, so a virtual file can be linted. */
function boundaryLinter() {
  return new ESLint({
    cwd: ROOT,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser },
        plugins: { '@nx': nx as never },
        rules: { '@nx/enforce-module-boundaries': ['error', { depConstraints }] },
      },
    ],
  });
}

describe('the module-boundaries lint rule', () => {
  it('has forbidden edges to probe', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases)('refuses %s importing %s', async (from, specifier) => {
    const [result] = await boundaryLinter().lintText(
      `import * as forbidden from '${specifier}';\nexport const probe = forbidden;\n`,
      { filePath: join(ROOT, from, 'src', 'boundary-probe.ts') },
    );
    const rules = result!.messages.map((m) => m.ruleId);
    expect(rules).toContain('@nx/enforce-module-boundaries');
  });

  it('lets a project import @eggapi/contracts', async () => {
    const from = exists('packages/client') ? 'packages/client' : 'tools';
    const [result] = await boundaryLinter().lintText(
      `import { contract } from '@eggapi/contracts';\nexport const probe = contract;\n`,
      { filePath: join(ROOT, from, 'src', 'boundary-probe.ts') },
    );
    expect(result!.messages).toEqual([]);
  });
});
