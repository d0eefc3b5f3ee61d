import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** One installed package: its name and its own disk usage (nested node_modules excluded). */
export interface InstalledPackage {
  name: string;
  /** Where it is, relative to the project (`node_modules/zod`, `node_modules/a/node_modules/b`). */
  path: string;
  bytes: number;
}

/** What an install put on disk. */
export interface Footprint {
  /** Disk usage of node_modules, as `du` counts it: allocated blocks, links not followed. */
  bytes: number;
  /** Every installed package, however deep: each `node_modules/<name>` or `node_modules/@scope/<name>` with a package.json. */
  packages: InstalledPackage[];
}

/** Bytes in a mebibyte: `du -h`'s "M", the unit of the issue's figures ("msw alone … 26 MB"). */
export const MB = 1024 * 1024;

/**
 * The footprint of `project`'s node_modules. A package is a directory right under a
 * `node_modules` (or under a scope there) that holds a package.json, so the marker files some
 * packages keep in `dist/esm/package.json` do not count, and nested copies do: what npm reports
 * as "added N packages".
 */
export function installFootprint(project: string): Footprint {
  const root = join(project, 'node_modules');
  const packages: InstalledPackage[] = [];
  /** Walks a node_modules directory for its packages (scoped ones too) and theirs, nested. */
  const collect = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      if (entry.startsWith('.')) continue; // .bin, .package-lock.json
      const names = entry.startsWith('@')
        ? readdirSync(join(dir, entry)).map((name) => `${entry}/${name}`)
        : [entry];
      for (const name of names) {
        const path = join(dir, name);
        if (!lstatSync(path).isDirectory() || !existsSync(join(path, 'package.json'))) continue;
        packages.push({
          name,
          path: relative(project, path).split(sep).join('/'),
          bytes: diskUsage(path, true),
        });
        if (existsSync(join(path, 'node_modules'))) collect(join(path, 'node_modules'));
      }
    }
  };
  collect(root);
  return { bytes: diskUsage(root, false), packages };
}

/** `du` of `path`: allocated blocks, symbolic links not followed; nested node_modules left out on demand. */
function diskUsage(path: string, withoutNodeModules: boolean): number {
  const stat = lstatSync(path);
  let bytes = stat.blocks * 512;
  if (!stat.isDirectory()) return bytes;
  for (const entry of readdirSync(path)) {
    if (withoutNodeModules && entry === 'node_modules') continue;
    bytes += diskUsage(join(path, entry), withoutNodeModules);
  }
  return bytes;
}

/** `12.3 MB` */
export const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
