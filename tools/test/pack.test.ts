import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, run, workspacePackages } from './support/workspace.js';

/**
 * Every publishable package, packed with `npm pack` and installed from the tarballs into a new
 * project outside the workspace, imports with plain `node`. Needs the packages built first (the
 * Nx `test` target of this project depends on every `build`).
 */
const publishable = workspacePackages().filter((pkg) => pkg.manifest.private !== true);

let project: string;
const tarballs: Record<string, string> = {};

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'eggapi-pack-'));
  for (const pkg of publishable) {
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', project], {
      cwd: pkg.dir,
    });
    const [packed] = JSON.parse(stdout) as { filename: string }[];
    tarballs[pkg.manifest.name] = join(project, packed!.filename);
  }
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'pack-probe', private: true, type: 'module' }),
  );
  await run(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--no-save',
      ...Object.values(tarballs),
    ],
    { cwd: project },
  );
});

afterAll(() => rmSync(project, { recursive: true, force: true }));

/** Import specifiers of a package's JavaScript entry points (`.`, `./web`, …). */
function entryPoints(name: string, exports: Record<string, unknown> = {}): string[] {
  return Object.keys(exports)
    .filter((key) => !key.endsWith('.json'))
    .map((key) => (key === '.' ? name : `${name}/${key.slice(2)}`));
}

describe('published packages', () => {
  it('include at least @eggapi/contracts', () => {
    expect(Object.keys(tarballs)).toContain('@eggapi/contracts');
  });

  it.each(publishable.map((pkg) => [pkg.manifest.name, pkg] as const))(
    '%s ships dist with types and nothing from src or tests',
    (name) => {
      const installed = join(project, 'node_modules', name);
      expect(existsSync(join(installed, 'dist', 'index.js'))).toBe(true);
      expect(existsSync(join(installed, 'dist', 'index.d.ts'))).toBe(true);
      expect(existsSync(join(installed, 'src'))).toBe(false);
      const files = readdirSync(join(installed, 'dist'), { recursive: true }).map(String);
      expect(files.filter((f) => /\.test\.|\.bench\./.test(f))).toEqual([]);
    },
  );

  it.each(publishable.map((pkg) => [pkg.manifest.name, pkg] as const))(
    '%s imports with plain node from the installed tarball',
    async (name, pkg) => {
      for (const specifier of entryPoints(name, pkg.manifest.exports)) {
        const script = `const m = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m)));`;
        const { stdout } = await run('node', ['--input-type=module', '-e', script], {
          cwd: project,
        });
        expect(JSON.parse(stdout), specifier).not.toEqual([]);
      }
    },
  );

  const withBin = publishable.flatMap((pkg) =>
    Object.entries(pkg.manifest.bin ?? {}).map(
      ([bin, file]) => [bin, pkg.manifest.name, file] as const,
    ),
  );

  it('include the two command-line tools', () => {
    expect(withBin.map(([bin]) => bin).sort()).toEqual(['eggapi-conformance', 'eggapi-mock']);
  });

  it.each(withBin)('installs the %s command (from %s, %s) and it runs', async (bin) => {
    const { stdout } = await run(join(project, 'node_modules', '.bin', bin), ['--help'], {
      cwd: project,
    });
    expect(stdout).toMatch(new RegExp(`^Usage: ${bin}`));
  });

  it('gives a working contract from the installed @eggapi/contracts', async () => {
    const script = `
      import { GenerateRequestSchema, contract, parseCost, buildOpenApiDocument } from '@eggapi/contracts';
      import { createRequire } from 'node:module';
      const openapi = createRequire(import.meta.url)('@eggapi/contracts/openapi.json');
      console.log(JSON.stringify({
        parsed: GenerateRequestSchema.parse({ model: 'nanobanana', prompt: 'a cat' }),
        path: contract.getTask.path,
        micros: parseCost('$0.0100'),
        same: JSON.stringify(openapi) === JSON.stringify(buildOpenApiDocument()),
      }));`;
    const { stdout } = await run('node', ['--input-type=module', '-e', script], { cwd: project });
    expect(JSON.parse(stdout)).toEqual({
      parsed: { model: 'nanobanana', prompt: 'a cat', aspect_ratio: '16:9', num_outputs: 1 },
      path: '/v1/tasks/:id',
      micros: 10_000,
      same: true,
    });
  });

  it('type-checks a consumer against the installed declarations', async () => {
    writeFileSync(
      join(project, 'consumer.ts'),
      `import { type Task, TaskSchema } from '@eggapi/contracts';\n` +
        `export const status: Task['status'] = TaskSchema.parse({}).status;\n` +
        `// @ts-expect-error cost is a string\nexport const bad: Task['cost'] = 1;\n`,
    );
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    await run(
      'node',
      [
        tsc,
        '--noEmit',
        '--strict',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--skipLibCheck',
        'consumer.ts',
      ],
      { cwd: project },
    );
  });
});
