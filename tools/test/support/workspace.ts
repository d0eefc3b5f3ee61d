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
