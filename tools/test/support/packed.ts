import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
 * Makes `dir` once per run with `make`, whichever test file asks first: test files run in two
 * workers, so the others wait for it (a lock directory beside it) and then use what it made.
 * `dir/.done` says it is complete.
 */
async function once(dir: string, make: () => Promise<void> | void): Promise<string> {
  const done = join(dir, '.done');
  const lock = `${dir}.lock`;
  for (;;) {
    if (existsSync(done)) return dir;
    try {
      mkdirSync(lock);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    try {
      if (!existsSync(done)) {
        mkdirSync(dir, { recursive: true });
        await make();
        writeFileSync(done, '');
      }
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/**
 * Every publishable package packed once per test run (about 2 s per package), by the first test
 * file that asks; the others read what it wrote.
 */
export async function packedOnce(): Promise<Record<string, Tarball>> {
  const dir = join(packRoot(), 'tarballs');
  const index = join(dir, 'tarballs.json');
  await once(dir, async () => writeFileSync(index, JSON.stringify(await packAll(dir))));
  return JSON.parse(readFileSync(index, 'utf8')) as Record<string, Tarball>;
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
  const tarballs = await packedOnce();
  const dir = join(packRoot(), 'store');
  return once(dir, () =>
    installProject(dir, [
      ...Object.values(tarballs).map((t) => t.file),
      ...SNIPPET_EXTRAS.map(lockedSpec),
    ]),
  );
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
  const store = await storeProject();
  const dir = join(packRoot(), 'web');
  return once(dir, () => linkedInstall(store, dir, withWorkspaceDependencies(WEB_PACKAGES)));
}
