import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What another team gets from the published package: the build's .d.ts files, type-checked in a
// project of their own (strict, nodenext, skipLibCheck: false) where express and @types/express
// cannot be resolved. Consumers of every entry from the tarballs (with a misuse each, and an
// express 5 app) are checked by tools/test/consumer-types.test.ts; this file keeps what only it
// checks: the main entry's declarations never name express, the express entry compiles on plain
// node:http, and the source maps. The package and @eggapi/contracts are compiled into a temporary
// node_modules (never into dist/), so the test needs no prior build and leaves nothing behind.
const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const REPO = resolve(PACKAGE, '../..');
const CONTRACTS = join(REPO, 'packages/contracts');
const require = createRequire(import.meta.url);
const TSC = require.resolve('typescript/bin/tsc');

let dir: string;
let modules: string;

function tsc(project: string): void {
  execFileSync(process.execPath, [TSC, '-p', project], { encoding: 'utf8', stdio: 'pipe' });
}

/** Runs tsc on `project` and answers its diagnostics ('' when it compiles). */
function diagnostics(project: string): string {
  try {
    tsc(project);
    return '';
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    return `${stdout ?? ''}${stderr ?? ''}` || String(error);
  }
}

function writeJson(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(value, null, 2));
}

/** Compiles a package's lib build into `node_modules/<name>/dist` under the temporary dir. */
function publish(source: string, name: string, paths: Record<string, string[]> = {}): string {
  const target = join(modules, name);
  const config = join(dir, `${name.replace('/', '__')}.tsconfig.json`);
  writeJson(config, {
    extends: join(source, 'tsconfig.lib.json'),
    compilerOptions: { outDir: join(target, 'dist'), paths },
  });
  tsc(config);
  copyFileSync(join(source, 'package.json'), join(target, 'package.json'));
  return target;
}

/** A consumer project under the temporary dir: its tsconfig and one source file. */
function consumer(name: string, code: string, types: string[] = ['node']): string {
  const root = join(dir, name);
  writeJson(join(root, 'package.json'), { name, private: true, type: 'module' });
  writeJson(join(root, 'tsconfig.json'), {
    compilerOptions: {
      strict: true,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'ES2022',
      lib: ['ES2023'],
      types,
      skipLibCheck: false,
      noEmit: true,
    },
    files: ['index.ts'],
  });
  writeFileSync(join(root, 'index.ts'), code);
  return join(root, 'tsconfig.json');
}

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

let webhook: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eggapi-webhook-types-'));
  modules = join(dir, 'node_modules');
  // What a consumer would install besides the package: its dependencies and @types/node. Not
  // express, not @types/express.
  for (const name of ['zod', '@ts-rest/core', '@types/node']) {
    mkdirSync(dirname(join(modules, name)), { recursive: true });
    symlinkSync(dirname(require.resolve(`${name}/package.json`)), join(modules, name), 'dir');
  }
  const contracts = publish(CONTRACTS, '@eggapi/contracts');
  webhook = publish(PACKAGE, '@eggapi/webhook', {
    '@eggapi/contracts': [join(contracts, 'dist/index.d.ts')],
  });
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Each check runs tsc once: seconds on an idle machine, far more on a loaded one.
describe('the published types', { timeout: 180_000 }, () => {
  it('main entry: index.d.ts and everything it imports never mention express outside comments', () => {
    const files = [...declarationGraph(join(webhook, 'dist/index.d.ts'))];
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const code = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '');
      expect(code, file).not.toMatch(/express/i);
    }
    // The check sees what it should: the express entry does name the global Express namespace.
    expect(readFileSync(join(webhook, 'dist/express.d.ts'), 'utf8')).toMatch(/namespace Express/);
  });

  it('the express entry compiles on plain node:http without express or @types/express', () => {
    const project = consumer(
      'express-entry-consumer',
      `import { createServer } from 'node:http';
import { eggapiWebhook, type EggapiWebhookRequest } from '@eggapi/webhook/express';
const middleware = eggapiWebhook({ secret: 's' });
createServer((req, res) => {
  void middleware(req, res, (error) => {
    if (error) res.writeHead(500).end();
    else res.end((req as EggapiWebhookRequest).eggapiEvent.task_id);
  });
});
`,
    );
    expect(diagnostics(project)).toBe('');
  });
});

describe('the published source maps', () => {
  it('embed their sources and no declaration map points at unshipped files', () => {
    const files = readdirSync(join(webhook, 'dist'), { recursive: true }).map(String);
    const maps = files.filter((file) => file.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(3);
    for (const file of maps) {
      const map = JSON.parse(readFileSync(join(webhook, 'dist', file), 'utf8')) as {
        sources: string[];
        sourcesContent?: (string | null)[];
      };
      expect(map.sourcesContent, file).toHaveLength(map.sources.length);
      for (const content of map.sourcesContent!) expect(content, file).toEqual(expect.any(String));
    }
    expect(files.filter((file) => file.endsWith('.d.ts.map'))).toEqual([]);
  });
});
