import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, run } from './support/workspace.js';

/**
 * npm 11 runs a dependency's install scripts only as the root package.json's `allowScripts`
 * decides (unreviewed ones run with a warning). The decisions are in the root README; this holds
 * them, and fails when a new dependency brings an install script nobody reviewed.
 */
describe('install scripts of dependencies', () => {
  it('are all reviewed (npm install-scripts ls lists none)', async () => {
    const { stdout } = await run('npm', ['install-scripts', 'ls'], { cwd: ROOT });
    expect(stdout.trim()).toBe('No packages with unreviewed install scripts.');
  });

  it('are denied for every package that has one, as the README records', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      allowScripts?: Record<string, boolean>;
    };
    expect(manifest.allowScripts).toEqual({
      nx: false,
      esbuild: false,
      '@scarf/scarf': false,
      'msgpackr-extract': false,
      msw: false,
      bun: false,
      deno: false,
      workerd: false,
      sharp: false,
      '@parcel/watcher': false,
    });
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const name of Object.keys(manifest.allowScripts ?? {})) {
      expect(readme, `the README says why ${name} is denied`).toContain(`\`${name}\``);
    }
  });
});
