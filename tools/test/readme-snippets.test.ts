import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startMockServer } from '@eggapi/mock-server';
import { beforeAll, describe, expect, it } from 'vitest';
import { snippetProject } from './support/packed.js';
import { allSnippets, type Snippet } from './support/readme-snippets.js';
import { ROOT, run } from './support/workspace.js';

/**
 * Every TypeScript block of every README, as printed: all compiled by one `tsc` (strict,
 * NodeNext, `skipLibCheck: false`) in a project that installed the packed tarballs, and those
 * marked `<!-- snippet: run -->` run with Node against a fresh mock. See readme-snippets.ts for
 * the markers. Needs the packages built (the Nx `test` target of this project builds them).
 */
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const SECRET = 'whsec_readme';
/** A block that must not compile: proves the compilation is real. */
const CANARY: Snippet = {
  id: 'canary',
  file: 'canary.ts',
  source: "import { EggAPI } from '@eggapi/client';\nnew EggAPI({ timeout: 'soon' });",
  mode: 'compile',
};

const snippets = allSnippets();
const compiled = [...snippets.filter((s) => s.mode !== 'skip'), CANARY];
let project: string;
const errors = new Map<string, string[]>();

function tsconfig() {
  return {
    compilerOptions: {
      strict: true,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      // msw's declarations name DOM types (its browser WebSocket interceptor).
      lib: ['es2023', 'dom'],
      types: ['node'],
      skipLibCheck: false,
      // TypeScript's own lib.*.d.ts are not ours to check (about half the check time).
      skipDefaultLibCheck: true,
      rootDir: 'src',
      outDir: 'out',
    },
    include: ['src/*.ts'],
  };
}

beforeAll(async () => {
  project = await snippetProject();
  mkdirSync(join(project, 'src'), { recursive: true });
  // `export {}`: every block is a module (top-level await), whatever it imports.
  for (const snippet of compiled) {
    writeFileSync(join(project, 'src', snippet.file), `${snippet.source}\nexport {};\n`);
  }
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(tsconfig(), null, 2));
  // One compilation for every block; it emits even with errors, so the runs go ahead.
  const result = await run(process.execPath, [TSC, '-p', project, '--pretty', 'false'], {
    cwd: project,
  }).catch((error: Error & { stdout?: string }) => ({ stdout: error.stdout || error.message }));
  for (const line of result.stdout.split('\n').filter((l) => l.trim() !== '')) {
    const file = /^src\/([^(]+)\(/.exec(line)?.[1] ?? '(no file)';
    errors.set(file, [...(errors.get(file) ?? []), line]);
  }
}, 300_000);

/** Runs the compiled block with Node against a mock of its own; its output when it fails. */
async function runAgainstMock(snippet: Snippet): Promise<string> {
  const mock = await startMockServer({ webhookSecret: SECRET });
  try {
    await run(process.execPath, [join('out', snippet.file.replace(/\.ts$/, '.js'))], {
      cwd: project,
      timeout: 30_000,
      env: {
        PATH: process.env.PATH,
        EGGAPI_BASE_URL: mock.url,
        EGGAPI_API_KEY: mock.apiKey,
        EGGAPI_WEBHOOK_SECRET: SECRET,
      },
    });
    return 'exit 0';
  } catch (error) {
    const { stdout, stderr, message } = error as Error & { stdout?: string; stderr?: string };
    return [message, stdout, stderr].filter(Boolean).join('\n');
  } finally {
    await mock.close();
  }
}

describe('the TypeScript blocks of the READMEs', () => {
  it('are found: every README with TypeScript has its blocks, each skipped one says why', () => {
    expect(compiled.length).toBeGreaterThan(20);
    for (const snippet of snippets.filter((s) => s.mode === 'skip')) {
      expect(snippet.reason, snippet.id).toMatch(/\w{3,}/);
    }
  });

  it('compile in a strict NodeNext project (the canary block does not)', () => {
    expect(errors.get(CANARY.file)?.join('\n')).toMatch(/TS2322|TS2769/);
  });

  it.each(compiled.filter((s) => s !== CANARY).map((s) => [s.id, s] as const))(
    '%s compiles',
    (_id, snippet) => {
      expect(errors.get(snippet.file) ?? []).toEqual([]);
    },
  );

  it('left no error outside the blocks', () => {
    expect(errors.get('(no file)') ?? []).toEqual([]);
  });

  it.each(snippets.filter((s) => s.mode === 'run').map((s) => [s.id, s] as const))(
    '%s runs against a fresh mock',
    async (_id, snippet) => {
      expect(await runAgainstMock(snippet)).toBe('exit 0');
    },
  );
});
