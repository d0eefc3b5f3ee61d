import {
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

/**
 * Projects made from one real install (the store) instead of one `npm install` each: a project
 * gets, as hard links, exactly the packages npm installs for the names it asks for — the closure
 * of their dependencies, optional dependencies (when installed) and required peers, each resolved
 * from where it sits in the store as Node resolves it. A package missing from a project's
 * closure is missing from its node_modules, so a dependency a package forgot to declare still
 * fails there. Hard links, not symlinks: Node and TypeScript resolve from each file's own path, so
 * nothing outside the project is ever found. `pack.test.ts` holds the closure equal to what npm
 * installs for the same packages.
 */

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const manifestAt = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/** `node_modules/a/node_modules/@s/b` → `node_modules/a`; `node_modules/a` → `` (the project). */
function parentOf(packagePath: string): string {
  const index = packagePath.lastIndexOf('node_modules/');
  return packagePath.slice(0, Math.max(0, index - 1));
}

/** Where Node finds `name` from the package at `from` (`` for the project itself), in `store`. */
function resolveIn(store: string, from: string, name: string): string | undefined {
  for (let base = from; ; base = parentOf(base)) {
    const candidate = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (existsSync(join(store, candidate, 'package.json'))) return candidate;
    if (base === '') return undefined;
  }
}

/**
 * The package directories (relative to `store`, e.g. `node_modules/zod`) that installing `names`
 * alone brings: what npm would install, laid out as the store has them.
 */
export function installClosure(store: string, names: readonly string[]): Set<string> {
  const found = new Set<string>();
  const visit = (path: string) => {
    if (found.has(path)) return;
    found.add(path);
    const manifest = manifestAt(join(store, path));
    const required = [
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}).filter(
        (peer) => manifest.peerDependenciesMeta?.[peer]?.optional !== true,
      ),
    ];
    for (const name of required) {
      const at = resolveIn(store, path, name);
      if (at === undefined) {
        throw new Error(`${manifest.name} needs ${name}, which the store (${store}) lacks`);
      }
      visit(at);
    }
    // Optional dependencies npm skipped (another platform) are absent from the store too.
    for (const name of Object.keys(manifest.optionalDependencies ?? {})) {
      const at = resolveIn(store, path, name);
      if (at !== undefined) visit(at);
    }
  };
  for (const name of names) {
    const at = resolveIn(store, '', name);
    if (at === undefined) throw new Error(`the store (${store}) has no ${name} to install`);
    visit(at);
  }
  return found;
}

/** `name@version` of every package {@link installClosure} brings, sorted. */
export function closurePackages(store: string, names: readonly string[]): string[] {
  return [...installClosure(store, names)]
    .map((path) => {
      const { name, version } = manifestAt(join(store, path));
      return `${name}@${version}`;
    })
    .sort();
}

/** Hard-links the tree at `from` into `to`, except a `node_modules` directly inside `from`. */
function linkTree(from: string, to: string, isPackageRoot: boolean): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (isPackageRoot && entry.name === 'node_modules') continue;
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) linkTree(source, target, false);
    else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else linkSync(source, target);
  }
}

/**
 * A new project in `dir` with `names` (and what they bring) from `store`, as `npm install` of
 * them would leave it (no `.bin` links: nothing here runs a package's bin).
 */
export function linkedInstall(
  store: string,
  dir: string,
  names: readonly string[],
  type: 'module' | 'commonjs' = 'module',
): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'eggapi-consumer', private: true, type }, null, 2),
  );
  for (const path of installClosure(store, names)) {
    linkTree(join(store, path), join(dir, path), true);
  }
}

/** `name@version` of every package under `dir`'s node_modules (nested ones too), sorted. */
export function installedPackages(dir: string): string[] {
  const found: string[] = [];
  const walk = (modules: string) => {
    if (!existsSync(modules)) return;
    for (const entry of readdirSync(modules, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const names = entry.name.startsWith('@')
        ? readdirSync(join(modules, entry.name)).map((scoped) => `${entry.name}/${scoped}`)
        : [entry.name];
      for (const name of names) {
        const packageDir = join(modules, name);
        if (!existsSync(join(packageDir, 'package.json'))) continue;
        const { version } = manifestAt(packageDir);
        found.push(`${name}@${version}`);
        walk(join(packageDir, 'node_modules'));
      }
    }
  };
  walk(join(dir, 'node_modules'));
  return found.sort();
}
