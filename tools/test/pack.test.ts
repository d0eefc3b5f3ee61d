import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBinary } from './support/node-binaries.js';
import { sourceMapProblems } from './support/source-maps.js';
import {
  installProject,
  lockedSpec,
  packAll,
  publishablePackages,
  publishedEntries,
  type Tarball,
} from './support/tarballs.js';
import { run } from './support/workspace.js';

/**
 * Every publishable package, packed with `npm pack` and installed from the tarballs into a new
 * project outside the workspace (with express, for `@eggapi/webhook/express`, and msw, the peer of
 * `@eggapi/mock-server/msw`), as another team
 * would use them. Needs the packages built first (the Nx `test` target of this project depends on
 * every `build`). The types, per entry and in isolation, are consumer-types.test.ts's concern.
 */
const publishable = publishablePackages();
const SMOKE = new URL('./consumer-smoke/', import.meta.url);
const NODE_MAJORS = [20, 22, 24];

let project: string;
let tarballs: Record<string, Tarball> = {};
/** The Node binaries, fetched while the tarballs install (both mostly wait on I/O). */
let binaries: Promise<string[]>;

beforeAll(async () => {
  binaries = Promise.all(NODE_MAJORS.map(nodeBinary));
  binaries.catch(() => {}); // reported by the tests that use them
  project = mkdtempSync(join(tmpdir(), 'eggapi-pack-'));
  tarballs = await packAll(project);
  await installProject(project, [
    ...Object.values(tarballs).map((t) => t.file),
    lockedSpec('express'),
    lockedSpec('msw'),
  ]);
  for (const file of readdirSync(SMOKE)) cpSync(new URL(file, SMOKE), join(project, file));
}, 300_000);

afterAll(() => rmSync(project, { recursive: true, force: true }));

const installed = (name: string) => join(project, 'node_modules', name);
const names = publishable.map((pkg) => [pkg.manifest.name] as const);
/** Packages with a library entry (`.`); @eggapi/cli is a command only. */
const libraries = publishable
  .filter((pkg) => pkg.manifest.exports?.['.'] !== undefined)
  .map((pkg) => [pkg.manifest.name] as const);

/** The `SMOKE <json>` line a smoke script printed. */
function smokeResult(stdout: string): any {
  const line = stdout.split('\n').find((l) => l.startsWith('SMOKE '));
  if (!line) throw new Error(`the smoke printed no result:\n${stdout}`);
  return JSON.parse(line.slice('SMOKE '.length));
}

describe('published packages', () => {
  it('are the six of the toolkit', () => {
    expect(Object.keys(tarballs).sort()).toEqual([
      '@eggapi/cli',
      '@eggapi/client',
      '@eggapi/conformance',
      '@eggapi/contracts',
      '@eggapi/mock-server',
      '@eggapi/webhook',
    ]);
  });

  it.each(libraries)('%s ships dist with types and nothing from src or tests', (name) => {
    expect(existsSync(join(installed(name), 'dist', 'index.js'))).toBe(true);
    expect(existsSync(join(installed(name), 'dist', 'index.d.ts'))).toBe(true);
    expect(existsSync(join(installed(name), 'src'))).toBe(false);
    const files = tarballs[name]!.files;
    expect(files.filter((f) => /\.test\.|\.bench\./.test(f))).toEqual([]);
  });

  it('@eggapi/cli ships its bin and dist/cli.js, and nothing from src, tests or types', () => {
    const { files } = tarballs['@eggapi/cli']!;
    expect(files).toEqual(expect.arrayContaining(['bin/eggapi.mjs', 'dist/cli.js', 'README.md']));
    expect(files.filter((f) => /^src\/|^test\/|\.test\.|\.d\.ts$/.test(f))).toEqual([]);
  });

  it.each(names)(
    '%s ships no source map that points at a file it does not ship (embeds sourcesContent)',
    (name) => {
      const { files } = tarballs[name]!;
      // No map at all passes trivially; a map without its sources fails loudly, naming them.
      expect(sourceMapProblems(installed(name), files)).toEqual([]);
    },
  );

  const withBin = publishable.flatMap((pkg) =>
    Object.entries(pkg.manifest.bin ?? {}).map(
      ([bin, file]) => [bin, pkg.manifest.name, file] as const,
    ),
  );

  it('include the three command-line tools', () => {
    expect(withBin.map(([bin]) => bin).sort()).toEqual([
      'eggapi',
      'eggapi-conformance',
      'eggapi-mock',
    ]);
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
});

describe.each(NODE_MAJORS)('a consumer on Node %i', (major) => {
  const binary = async () => (await binaries)[NODE_MAJORS.indexOf(major)]!;

  it('imports every entry (ESM), runs a task against the mock (HTTP and MSW), verifies its webhook, loads the console', async () => {
    const { stdout } = await run(await binary(), ['smoke.mjs'], { cwd: project });
    const result = smokeResult(stdout);
    expect(result.node).toMatch(new RegExp(`^v${major}\\.`));
    expect(Object.keys(result.imported).sort()).toEqual(publishedEntries().sort());
    expect(Object.values(result.imported).every((count) => (count as number) > 0)).toBe(true);
    expect(result.task).toEqual({ status: 'completed', cost: '$0.0100' });
    expect(result.webhook).toEqual({ event: 'task.completed', sameTask: true });
    expect(result.msw).toEqual({ status: 'completed', image: 'image/png' });
    expect(result.console).toEqual({
      page: 200,
      names: true,
      script: 200,
      scriptBytes: expect.any(Number),
      listsTask: true,
    });
    expect(result.console.scriptBytes).toBeGreaterThan(10_000);
    // The installed `eggapi` command, on this Node, against the same mock.
    expect(result.cli).toEqual({ status: 'completed', listed: true });
  });

  it('loads every entry from CommonJS, with import() and with require()', async () => {
    const { stdout } = await run(await binary(), ['smoke-cjs.cjs'], { cwd: project });
    const { node, entries } = smokeResult(stdout);
    expect(node).toMatch(new RegExp(`^v${major}\\.`));
    expect(Object.keys(entries).sort()).toEqual(publishedEntries().sort());
    for (const [specifier, entry] of Object.entries<any>(entries)) {
      expect(entry.imported, specifier).toBeGreaterThan(0);
      // No entry has a `require` condition (ESM only); Node >= 20.19 requires ES modules.
      expect(entry.requireCondition, specifier).toBe(false);
      expect(entry.required, specifier).toBe('same exports');
    }
  });
});
