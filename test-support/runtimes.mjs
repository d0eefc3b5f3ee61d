// @ts-check
// The JavaScript runtimes the tests run code in beside Node (Deno and Bun, from the npm packages
// `deno` and `bun`; workerd through `miniflare`), found where `npm ci` put them, and the loud
// skip / CI failure when one is missing. Shared by @eggapi/conformance's runtime suites and the
// tools' runtime matrix; a root-level module like services.mjs: importing it adds no graph edge.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * Where npm put each runtime's binary for this platform: the package of its optional dependency
 * (the root package.json denies the wrappers' install scripts, which only move it), else the
 * wrapper's bin when its script ran after all.
 * @type {Record<'deno' | 'bun', Record<string, string>>}
 */
const BINARIES = {
  deno: {
    'linux-x64': '@deno/linux-x64-glibc/deno',
    'linux-arm64': '@deno/linux-arm64-glibc/deno',
    'darwin-x64': '@deno/darwin-x64/deno',
    'darwin-arm64': '@deno/darwin-arm64/deno',
  },
  bun: {
    'linux-x64': '@oven/bun-linux-x64/bin/bun',
    'linux-arm64': '@oven/bun-linux-aarch64/bin/bun',
    'darwin-x64': '@oven/bun-darwin-x64/bin/bun',
    'darwin-arm64': '@oven/bun-darwin-aarch64/bin/bun',
  },
};

/** @param {string} path */
function resolved(path) {
  try {
    return require.resolve(path);
  } catch {
    return undefined;
  }
}

/**
 * The binary of `deno` or `bun` that runs here, with its version, or `undefined`.
 * @param {'deno' | 'bun'} name
 * @returns {{ path: string, version: string } | undefined}
 */
export function findRuntime(name) {
  const platformBinary = BINARIES[name][`${process.platform}-${process.arch}`];
  const wrapper = resolved(`${name}/package.json`);
  const candidates = [
    platformBinary && resolved(platformBinary),
    wrapper && join(dirname(wrapper), name === 'bun' ? 'bin/bun.exe' : 'deno'),
  ];
  for (const path of candidates) {
    if (!path || !existsSync(path)) continue;
    const probe = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    if (probe.status === 0) return { path, version: probe.stdout.split('\n')[0].trim() };
  }
  return undefined;
}

/**
 * `found`, when a runtime was found. When not: under `CI=true` this throws (`npm ci` installs
 * every runtime, so its absence is a failure); elsewhere it prints a loud notice naming what to
 * install and returns `undefined`, so the suite skips.
 * @template T
 * @param {T | undefined} found
 * @param {string} runtime
 * @param {string} install what brings the runtime, named in the notice
 * @returns {T | undefined}
 */
export function available(found, runtime, install) {
  if (found) return found;
  const message = `the ${runtime} runtime tests need ${install}, which is not installed here: run \`npm ci\` at the repository root (without --omit=optional)`;
  if (process.env.CI === 'true')
    throw new Error(`${message} (CI=true: failing instead of skipping)`);
  const bar = '!'.repeat(Math.min(100, message.length + 12));
  console.warn(`\n${bar}\n!!! SKIPPED: ${message}\n${bar}\n`);
  return undefined;
}
