// @ts-check
import nx from '@nx/eslint-plugin';
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import { depConstraints } from './tools/dependency-rules.mjs';

export default tseslint.config(
  {
    ignores: [
      '**/dist',
      '**/node_modules',
      '**/.nx',
      '**/coverage',
      '**/test-output',
      '**/*.d.ts',
      '**/*.d.mts',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.mjs', '*/*.mjs', '*/*/*.mjs', '*/*/*/*.mjs'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    plugins: { '@nx': nx },
    files: ['**/*.ts', '**/*.mjs'],
    rules: {
      // TypeScript (checkJs for .mjs) reports undefined names, with knowledge of the runtime.
      'no-undef': 'off',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          // The root test-support modules (private services and runtimes for tests) belong to no package.
          allow: [
            '/test-support/(services|redis|receiver|raw-http|mock-process|runtimes|fake-runner|temp-dir|typescript)[.]mjs$',
          ],
          depConstraints,
        },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Plain JavaScript (scripts, benchmarks, bins) is mostly outside any type-checked project, so
    // ESLint reports undefined names itself, knowing what Node defines in an ES module.
    files: ['**/*.mjs'],
    languageOptions: { globals: globals.nodeBuiltin },
    rules: { 'no-undef': 'error' },
  },
  {
    // The few CommonJS files (the mock server's bin loader, the CommonJS smoke) run in Node as
    // scripts: Node's globals plus require, module, __dirname.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { 'no-undef': 'error', '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.test.ts', '**/*.bench.ts', '**/test/**/*.ts'],
    rules: {
      // Tests read JSON answers dynamically and assert on them.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  prettier,
);
