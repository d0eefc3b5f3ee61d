import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const run = promisify(execFile);

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface WorkspacePackage {
  dir: string;
  manifest: {
    name: string;
    private?: boolean;
    exports?: Record<string, unknown>;
    bin?: Record<string, string>;
    [key: string]: unknown;
  };
}

/** The workspace packages under packages/ and apps/. */
export function workspacePackages(): WorkspacePackage[] {
  return ['packages', 'apps'].flatMap((group) => {
    const base = join(ROOT, group);
    if (!existsSync(base)) return [];
    return readdirSync(base)
      .map((name) => join(base, name))
      .filter((dir) => existsSync(join(dir, 'package.json')))
      .map((dir) => ({
        dir,
        manifest: JSON.parse(
          readFileSync(join(dir, 'package.json'), 'utf8'),
        ) as WorkspacePackage['manifest'],
      }));
  });
}

/** Environment for nx in tests: offline, no daemon, no cloud. */
export const NX_ENV = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', CI: 'true' };

/** A project's targets as Nx resolves them (its scripts merged with nx.json's defaults). */
export interface NxTarget {
  inputs?: unknown[];
  dependsOn?: ({ projects?: string; target: string } | string)[];
}

/** `nx show project <name> --json`: what Nx makes of the project. */
export async function nxProject(name: string): Promise<{ targets: Record<string, NxTarget> }> {
  const nx = join(ROOT, 'node_modules', '.bin', 'nx');
  const { stdout } = await run(process.execPath, [nx, 'show', 'project', name, '--json'], {
    cwd: ROOT,
    env: NX_ENV,
  });
  return JSON.parse(stdout) as { targets: Record<string, NxTarget> };
}
