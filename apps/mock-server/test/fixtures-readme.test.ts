import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The README's useEggapiMock examples run as written, each with its own runner in a child
// process (one spawn per runner), from a directory inside this package so that
// `@eggapi/mock-server/testing` and `@eggapi/client` resolve to the built packages as in a
// user's project. The vitest run takes the engine README's example too.
const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const ROOT = join(PACKAGE, '..', '..');
const SERVER_README = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
const ENGINE_README = readFileSync(join(ROOT, 'packages', 'mock-engine', 'README.md'), 'utf8');
let dir: string;

/** The code block after `<!-- example: NAME -->`, verbatim. */
function example(readme: string, name: string): string {
  const match = new RegExp(
    `<!-- example: ${name} -->\\s*\`\`\`(?:ts|js)\\n([\\s\\S]*?)\`\`\``,
  ).exec(readme);
  if (!match) throw new Error(`README has no example "${name}"`);
  return match[1]!;
}

/** Runs a command in `dir`; resolves with its exit code and everything it printed. */
function run(args: string[]): Promise<{ code: number; output: string }> {
  // Not this vitest worker's settings: the child runners resolve the built packages (no
  // `@eggapi/source` condition) and must not take themselves for a vitest worker.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(VITEST|NODE_OPTIONS$|TEST$)/.test(name)),
  );
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: dir, env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true' }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}\n${stderr}` });
      },
    );
  });
}

beforeAll(() => {
  for (const built of ['packages/client/dist/index.js', 'apps/mock-server/dist/testing/index.js']) {
    if (!existsSync(join(ROOT, built))) {
      throw new Error(`${built} is missing: build first (npx nx run-many -t build)`);
    }
  }
  mkdirSync(join(PACKAGE, 'test-output'), { recursive: true });
  dir = mkdtempSync(join(PACKAGE, 'test-output', 'fixtures-'));
  writeFileSync(join(dir, 'server.vitest.test.ts'), example(SERVER_README, 'fixtures-vitest'));
  writeFileSync(join(dir, 'engine.vitest.test.ts'), example(ENGINE_README, 'fixtures-engine'));
  writeFileSync(join(dir, 'server.jest.test.mjs'), example(SERVER_README, 'fixtures-jest'));
  writeFileSync(join(dir, 'server.node.test.mjs'), example(SERVER_README, 'fixtures-node-test'));
  // Each runner's defaults (vitest without globals), limited to its own files.
  writeFileSync(
    join(dir, 'vitest.config.mjs'),
    "export default { test: { include: ['*.vitest.test.ts'] } };\n",
  );
  writeFileSync(
    join(dir, 'jest.config.json'),
    JSON.stringify({ testEnvironment: 'node', transform: {}, testMatch: ['**/*.jest.test.mjs'] }),
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the README fixtures, each with its runner', () => {
  it('vitest (no globals) runs the server and the engine examples', async () => {
    const vitest = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
    const { code, output } = await run([vitest, 'run', '--root', '.']);
    expect(code, output).toBe(0);
    expect(output).toMatch(/Test Files\s+2 passed \(2\)/);
    expect(output).toMatch(/Tests\s+4 passed \(4\)/);
  });

  it('jest (its globals, ES modules) runs the server example', async () => {
    const jest = join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
    const { code, output } = await run([
      '--experimental-vm-modules',
      jest,
      '--rootDir',
      '.',
      '--config',
      'jest.config.json',
    ]);
    expect(code, output).toBe(0);
    expect(output).toMatch(/Tests:\s+2 passed, 2 total/);
  });

  it('node --test runs the node:test example', async () => {
    const { code, output } = await run(['--test', 'server.node.test.mjs']);
    expect(code, output).toBe(0);
    expect(output).toMatch(/# pass 2\n/);
    expect(output).toMatch(/# fail 0\n/);
  });
});
