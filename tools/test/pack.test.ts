import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from './support/cli-process.js';
import { installFootprint, MB, mb, type Footprint } from './support/install-footprint.js';
import { nodeBinary } from './support/node-binaries.js';
import { closurePackages, installedPackages } from './support/linked-install.js';
import { packedOnce, storeProject } from './support/packed.js';
import { sourceMapProblems } from './support/source-maps.js';
import {
  installProject,
  lockedSpec,
  publishablePackages,
  publishedEntries,
  withWorkspaceDependencies,
  type Tarball,
} from './support/tarballs.js';
import { run } from './support/workspace.js';

/**
 * Every publishable package, packed with `npm pack` and installed from the tarballs into a new
 * project outside the workspace (with express, for `@eggapi/webhook/express`, and msw, the peer of
 * the `/msw` entries; not ioredis or bullmq, the optional peers of `@eggapi/mock-server`), as
 * another team would use them. Beside it, a second project installs only msw and
 * `@eggapi/mock-engine` (with the packages it depends on), as a frontend team that wants the MSW
 * handlers would: its size is held to the budget, and the engine runs there. Needs the
 * packages built first (the Nx `test` target of this project depends on every `build`). The
 * types, per entry and in isolation, are consumer-types.test.ts's concern.
 */
const publishable = publishablePackages();
const SMOKE = new URL('./consumer-smoke/', import.meta.url);
const NODE_MAJORS = [20, 22, 24];
/** The install of msw + @eggapi/mock-engine (#20): at most this much on disk, this many packages. */
const ENGINE_BUDGET = { bytes: 40 * MB, packages: 70 };
/** What only the Node server needs: none of it may come with the engine. */
const SERVER_ONLY = ['express', 'bullmq', 'ioredis', 'pino', 'swagger-ui-dist'];

let project: string;
/** msw and @eggapi/mock-engine (with @eggapi/contracts and @eggapi/webhook) only. */
let engineProject: string;
/** `engineProject`'s node_modules, measured straight after the install. */
let engineFootprint: Footprint;
let tarballs: Record<string, Tarball> = {};
/** The Node binaries, fetched while the tarballs install (both mostly wait on I/O). */
let binaries: Promise<string[]>;

beforeAll(async () => {
  binaries = Promise.all(NODE_MAJORS.map(nodeBinary));
  binaries.catch(() => {}); // reported by the tests that use them
  project = mkdtempSync(join(tmpdir(), 'eggapi-pack-'));
  // Not inside `project`: Node would find the server's dependencies in its node_modules.
  engineProject = mkdtempSync(join(tmpdir(), 'eggapi-pack-engine-'));
  // The one packing of this run, shared with the other test files that install the tarballs.
  tarballs = await packedOnce();
  await Promise.all([
    installProject(project, [
      ...Object.values(tarballs).map((t) => t.file),
      lockedSpec('express'),
      lockedSpec('msw'),
    ]),
    installProject(engineProject, [
      ...withWorkspaceDependencies(['@eggapi/mock-engine']).map((name) => tarballs[name]!.file),
      lockedSpec('msw'),
    ]),
  ]);
  engineFootprint = installFootprint(engineProject);
  for (const file of readdirSync(SMOKE)) cpSync(new URL(file, SMOKE), join(project, file));
  cpSync(new URL('engine-smoke.mjs', SMOKE), join(engineProject, 'engine-smoke.mjs'));
}, 300_000);

afterAll(() => {
  for (const dir of [project, engineProject]) {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
});

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

/** The ranges `@eggapi/mock-server` declares for its optional peers, and the line to install them. */
const serverPeers = publishable.find((pkg) => pkg.manifest.name === '@eggapi/mock-server')!.manifest
  .peerDependencies as Record<string, string>;
const installRedisPeers = `npm i ioredis@${serverPeers.ioredis} bullmq@${serverPeers.bullmq}`;

describe('published packages', () => {
  it('are the seven of the toolkit', () => {
    expect(Object.keys(tarballs).sort()).toEqual([
      '@eggapi/cli',
      '@eggapi/client',
      '@eggapi/conformance',
      '@eggapi/contracts',
      '@eggapi/mock-engine',
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

describe('@eggapi/mock-engine installed with msw alone, from the tarballs', () => {
  const figures = () => {
    const { bytes, packages } = engineFootprint;
    const heaviest = [...packages]
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 10)
      .map((p) => `${p.path.replace(/^node_modules\//, '')} ${mb(p.bytes)}`);
    return (
      `msw + @eggapi/mock-engine: ${mb(bytes)} (${bytes} bytes) on disk in ${packages.length} ` +
      `packages (budget ${mb(ENGINE_BUDGET.bytes)}, ${ENGINE_BUDGET.packages} packages); ` +
      `heaviest: ${heaviest.join(', ')}`
    );
  };

  it(`takes at most ${ENGINE_BUDGET.bytes / MB} MB and ${ENGINE_BUDGET.packages} packages`, () => {
    expect(engineFootprint.packages.length, figures()).toBeLessThanOrEqual(ENGINE_BUDGET.packages);
    expect(engineFootprint.bytes, figures()).toBeLessThanOrEqual(ENGINE_BUDGET.bytes);
  });

  it(`brings none of the server's dependencies (${SERVER_ONLY.join(', ')}) nor the server`, () => {
    const names = new Set(engineFootprint.packages.map((p) => p.name));
    expect(names).toContain('@eggapi/mock-engine');
    expect(names).toContain('msw');
    expect([...SERVER_ONLY, '@eggapi/mock-server'].filter((name) => names.has(name))).toEqual([]);
  });
});

describe('@eggapi/mock-server without its optional peers ioredis and bullmq', () => {
  it('installs without them', () => {
    expect(serverPeers).toMatchObject({ ioredis: expect.any(String), bullmq: expect.any(String) });
    expect(existsSync(installed('ioredis'))).toBe(false);
    expect(existsSync(installed('bullmq'))).toBe(false);
  });
});

describe('the consumer projects linked from the run’s one real install (linked-install.ts)', () => {
  // Which packages are there. Versions and nested copies follow the store's layout: where it
  // pins an extra (@types/node 20 for the READMEs), a package asking for any @types/node gets
  // that one, as in a project that pins it too.
  const names = (packages: string[]) => [
    ...new Set(packages.map((p) => p.slice(0, p.lastIndexOf('@')))),
  ];

  it('get the same packages npm installs for the same names', async () => {
    const store = await storeProject();
    const all = [...Object.keys(tarballs), 'express', 'msw'];
    expect(names(closurePackages(store, all))).toEqual(names(installedPackages(project)));
    const engine = [...withWorkspaceDependencies(['@eggapi/mock-engine']), 'msw'];
    expect(names(closurePackages(store, engine))).toEqual(names(installedPackages(engineProject)));
  });
});

// The majors' processes run side by side (each its own mock, port 0): the cases mostly wait on
// process start and HTTP, so three at once take a little more than one major alone.
describe.concurrent.each(NODE_MAJORS)('a consumer on Node %i', (major) => {
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
    // startMockServer({ redis }) without ioredis and bullmq names what to install.
    expect(result.redis).toEqual({
      code: 'ERR_MISSING_PEER_DEPENDENCY',
      install: installRedisPeers,
    });
  });

  it('runs @eggapi/mock-engine with msw alone: createFetchHandler and the MSW handlers each run a task', async () => {
    const { stdout } = await run(await binary(), ['engine-smoke.mjs'], { cwd: engineProject });
    const result = smokeResult(stdout);
    expect(result.node).toMatch(new RegExp(`^v${major}\\.`));
    expect(Object.keys(result.imported).sort()).toEqual(
      publishedEntries()
        .filter((entry) => entry.startsWith('@eggapi/mock-engine'))
        .sort(),
    );
    expect(Object.values(result.imported).every((count) => (count as number) > 0)).toBe(true);
    const round = {
      created: 202,
      polled: 200,
      sameTask: true,
      status: 'completed',
      cost: '$0.0100',
      image: 'image/png',
    };
    expect(result.fetch).toEqual(round);
    expect(result.msw).toEqual({ ...round, baseUrl: 'https://api.eggapi.ai' });
  });

  it('eggapi-mock --redis-url without ioredis and bullmq exits 1 saying what to install', async () => {
    const bin = join(installed('@eggapi/mock-server'), 'bin', 'eggapi-mock.cjs');
    const failure = await run(await binary(), [bin, '--redis-url', 'redis://127.0.0.1:1'], {
      cwd: project,
      timeout: 30_000,
    }).then(
      () => undefined,
      (error: Error & { code?: number; stdout: string; stderr: string }) => error,
    );
    expect(failure, 'eggapi-mock --redis-url started without ioredis and bullmq').toBeDefined();
    expect(failure!.code).toBe(1);
    expect(failure!.stdout).toBe('');
    expect(failure!.stderr).toMatch(/^eggapi-mock: Redis mode \(--redis-url/);
    expect(failure!.stderr.trimEnd().endsWith(`: ${installRedisPeers}`)).toBe(true);
    expect(failure!.stderr).not.toMatch(/Cannot find|MODULE_NOT_FOUND|\n\s+at /);
  });

  it('eggapi-mock without --redis-url starts in memory all the same, and stops on SIGTERM', async () => {
    const bin = join(installed('@eggapi/mock-server'), 'bin', 'eggapi-mock.cjs');
    const cli = await startCli(await binary(), [bin, '--port', '0', '--timing', 'instant'], {
      cwd: project,
    });
    try {
      expect(cli.banner).toContain('Store:          memory (this process)');
      const tasks = await fetch(`${cli.url}/v1/tasks`, {
        headers: { authorization: 'Bearer sk_test_eggapi' },
      });
      expect(tasks.status).toBe(200);
    } finally {
      expect(await cli.stop()).toBe(0);
    }
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
