import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import {
  installProject,
  lockedSpec,
  packAll,
  withWorkspaceDependencies,
  type Tarball,
} from './tarballs.js';
import { linkedInstall } from './linked-install.js';

/** This run's scratch directory (see pack-root.ts). */
export function packRoot(): string {
  return inject('packRoot');
}

/**
 * Every publishable package packed once per test run: the first test file that asks packs (about
 * 2 s per package), the later ones read what it wrote. Test files run one after another
 * (`fileParallelism: false`), so no two pack at once.
 */
export async function packedOnce(): Promise<Record<string, Tarball>> {
  const dir = join(packRoot(), 'tarballs');
  const index = join(dir, 'tarballs.json');
  if (existsSync(index)) return JSON.parse(readFileSync(index, 'utf8')) as Record<string, Tarball>;
  mkdirSync(dir, { recursive: true });
  const tarballs = await packAll(dir);
  writeFileSync(index, JSON.stringify(tarballs));
  return tarballs;
}

/** What a browser or an edge worker would load: the client, the verifier, the engine (no msw). */
export const WEB_PACKAGES = ['@eggapi/client', '@eggapi/webhook', '@eggapi/mock-engine'];

/** What the READMEs' TypeScript blocks import beside our packages, at the versions we test with. */
export const SNIPPET_EXTRAS = [
  '@types/node',
  'express',
  '@types/express',
  'msw',
  'hono',
  'ioredis',
  'vitest',
  'zod',
];

/**
 * The one real install of this run: every published package (from this run's tarballs) and
 * {@link SNIPPET_EXTRAS}. It is the project where the READMEs' blocks compile and run, and the
 * store the other consumer projects are linked from (linked-install.ts), so anything a consumer
 * installs beside our packages must be one of the extras.
 * @returns the project's directory
 */
export async function storeProject(): Promise<string> {
  const dir = join(packRoot(), 'store');
  const done = join(dir, '.installed');
  if (existsSync(done)) return dir;
  const tarballs = await packedOnce();
  mkdirSync(dir, { recursive: true });
  await installProject(dir, [
    ...Object.values(tarballs).map((t) => t.file),
    ...SNIPPET_EXTRAS.map(lockedSpec),
  ]);
  writeFileSync(done, '');
  return dir;
}

/** The project where the READMEs' blocks compile and run: the store itself. */
export const snippetProject = storeProject;

/**
 * A consumer project with {@link WEB_PACKAGES} and the packages they depend on, linked from the
 * store once per run (no msw: the budget bundles leave it external and the runtime matrix uses
 * the fetch handler alone).
 * @returns the project's directory
 */
export async function webProject(): Promise<string> {
  const dir = join(packRoot(), 'web');
  const done = join(dir, '.installed');
  if (existsSync(done)) return dir;
  linkedInstall(await storeProject(), dir, withWorkspaceDependencies(WEB_PACKAGES));
  writeFileSync(done, '');
  return dir;
}
