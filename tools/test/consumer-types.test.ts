import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSUMERS, consumerTsconfig, type Consumer } from './support/consumers.js';
import { limiter, pool } from './support/pool.js';
import { packedOnce } from './support/packed.js';
import { installProject, lockedSpec, publishedEntries } from './support/tarballs.js';
import { ROOT, run } from './support/workspace.js';

/**
 * Another team's project, one per entry of every package: strict, NodeNext, `skipLibCheck: false`,
 * with only the packages a user of that entry installs (our tarballs and what it names itself).
 * Our declarations must compile there. Needs the packages built (the Nx `test` target of this
 * project depends on every `build`).
 */
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
let base: string;
const errors = new Map<string, string[]>();

/** Installs the consumer in its own directory, with its tsconfig.json and source. */
async function install(consumer: Consumer, tarballs: Record<string, { file: string }>) {
  const dir = join(base, consumer.id);
  mkdirSync(dir);
  await installProject(dir, [
    ...consumer.packages.map((name) => tarballs[name]!.file),
    ...consumer.extra.map(lockedSpec),
  ]);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(consumerTsconfig(consumer), null, 2));
  writeFileSync(join(dir, 'consumer.ts'), consumer.source.trimStart());
}

/** tsc's errors in the consumer's directory, one line each. */
async function typecheck(consumer: Consumer): Promise<string[]> {
  const dir = join(base, consumer.id);
  const result = await run(process.execPath, [TSC, '-p', dir, '--pretty', 'false'], {
    cwd: dir,
  }).catch((error: Error & { stdout?: string }) => ({ stdout: error.stdout || error.message }));
  return result.stdout.split('\n').filter((line) => line.trim() !== '');
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'eggapi-consumers-'));
  // The one packing of this run, shared with the other test files that install the tarballs.
  const tarballs = await packedOnce();
  // Installs mostly wait on the network cache and the disk: three at once. tsc is CPU-bound: one
  // per core, each starting as soon as its consumer is installed.
  const cpu = limiter(2);
  const results = await pool(CONSUMERS, 3, async (consumer) => {
    await install(consumer, tarballs);
    return cpu(() => typecheck(consumer));
  });
  CONSUMERS.forEach((consumer, i) => errors.set(consumer.id, results[i]!));
}, 300_000);

afterAll(() => rmSync(base, { recursive: true, force: true }));

const byId = (id: string) => CONSUMERS.find((c) => c.id === id)!;
const others = CONSUMERS.filter((c) => c.id !== 'webhook' && c.id !== 'mock-server');

describe('a strict NodeNext consumer with skipLibCheck: false', () => {
  it('covers every entry of every published package', () => {
    expect(CONSUMERS.map((c) => c.entry).sort()).toEqual(publishedEntries().sort());
  });

  it.each(others.map((c) => [c.entry, c] as const))(
    'of %s compiles with only what it installs',
    (_entry, consumer) => {
      expect(errors.get(consumer.id)).toEqual([]);
    },
  );

  it('of @eggapi/webhook (main entry) compiles without express or @types/express installed', () => {
    expect(byId('webhook').extra).not.toContain('express');
    expect(errors.get('webhook')).toEqual([]);
  });

  it('of @eggapi/mock-server compiles without @types/express installed', () => {
    expect(byId('mock-server').extra).not.toContain('@types/express');
    expect(errors.get('mock-server')).toEqual([]);
  });
});
