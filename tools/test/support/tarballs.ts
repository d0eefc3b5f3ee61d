import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, run, workspacePackages, type WorkspacePackage } from './workspace.js';

/** The workspace packages that are published (not `private`). */
export function publishablePackages(): WorkspacePackage[] {
  return workspacePackages().filter((pkg) => pkg.manifest.private !== true);
}

/** The import specifiers of every JavaScript entry of every published package (`exports`). */
export function publishedEntries(): string[] {
  return publishablePackages().flatMap(({ manifest }) =>
    Object.keys(manifest.exports ?? {})
      .filter((key) => !key.endsWith('.json'))
      .map((key) => (key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`)),
  );
}

/**
 * `names` and the published packages they depend on, transitively (`dependencies`): what an
 * install from our tarballs needs beside them, as none of them is on the registry.
 */
export function withWorkspaceDependencies(names: string[]): string[] {
  const manifests = new Map(publishablePackages().map((pkg) => [pkg.manifest.name, pkg.manifest]));
  const found = new Set<string>();
  const visit = (name: string) => {
    if (found.has(name)) return;
    found.add(name);
    const dependencies = (manifests.get(name)?.dependencies ?? {}) as Record<string, string>;
    for (const dependency of Object.keys(dependencies)) {
      if (manifests.has(dependency)) visit(dependency);
    }
  };
  names.forEach(visit);
  return [...found].sort();
}

/** One packed package: its name, tarball path and the paths inside the tarball. */
export interface Tarball {
  name: string;
  file: string;
  files: string[];
}

/**
 * Packs every publishable package with one `npm pack` into `destination` (about 2 s for all).
 * Needs the packages built first.
 */
export async function packAll(destination: string): Promise<Record<string, Tarball>> {
  const dirs = publishablePackages().map((pkg) => `./${relative(ROOT, pkg.dir)}`);
  const { stdout } = await run(
    'npm',
    ['pack', '--json', '--pack-destination', destination, ...dirs],
    {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const packed = JSON.parse(stdout) as {
    name: string;
    filename: string;
    files: { path: string }[];
  }[];
  return Object.fromEntries(
    packed.map((p) => [
      p.name,
      { name: p.name, file: join(destination, p.filename), files: p.files.map((f) => f.path) },
    ]),
  );
}

/**
 * Installs `specs` (tarball paths, `name@version`) into a new project in `dir`, as a consumer
 * would: from the registry (cache first) and the tarballs, with no install scripts and no lock
 * file. `type` is the project's module type.
 */
export async function installProject(
  dir: string,
  specs: string[],
  type: 'module' | 'commonjs' = 'module',
): Promise<void> {
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'eggapi-consumer', private: true, type }, null, 2),
  );
  await run(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--no-package-lock',
      '--ignore-scripts',
      '--loglevel=error',
      ...specs,
    ],
    { cwd: dir, maxBuffer: 16 * 1024 * 1024 },
  );
}

/** `name@version` as this repository installs it: consumers get the versions we test with. */
export function lockedSpec(name: string): string {
  const manifest = JSON.parse(
    readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8'),
  ) as { version: string };
  return `${name}@${manifest.version}`;
}
