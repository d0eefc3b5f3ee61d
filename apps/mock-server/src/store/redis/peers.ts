import { createRequire } from 'node:module';
import type * as BackendModule from './backend.js';

/** What Redis mode loads besides this package: optional peer dependencies, installed by the user. */
export const REDIS_PEERS = ['ioredis', 'bullmq'] as const;

type Backend = typeof BackendModule;

/**
 * Redis mode was asked for (`--redis-url`, `startMockServer({ redis })`) but an optional peer
 * dependency it needs is not installed. `missing` names them; the message says what to run.
 */
export class MissingPeerDependencyError extends Error {
  readonly code = 'ERR_MISSING_PEER_DEPENDENCY';

  constructor(
    readonly missing: readonly string[],
    /** The command that installs them, e.g. `npm i ioredis@^6.0.0 bullmq@^6.7.0`. */
    readonly install: string,
    options?: ErrorOptions,
  ) {
    super(
      `Redis mode (--redis-url, or the redis option) needs ${REDIS_PEERS.join(' and ')}, optional ` +
        `peer dependencies of @eggapi/mock-server that are not installed with it; missing: ` +
        `${missing.join(', ')}. Install them where @eggapi/mock-server is installed: ${install}`,
      options,
    );
    this.name = 'MissingPeerDependencyError';
  }
}

/** How {@link loadRedisBackend} reaches its modules; tests replace them. */
export interface PeerLoader {
  /** Loads the Redis store and the BullMQ scheduler (which import ioredis and bullmq). */
  load: () => Promise<Backend>;
  /** Resolves a package from this module, as the backend's imports do; throws when absent. */
  resolve: (name: string) => string;
  /** This package's manifest (the peers' ranges). */
  manifest: () => { peerDependencies?: Record<string, string> };
}

const here = () => createRequire(import.meta.url);
const defaults: PeerLoader = {
  load: () => import('./backend.js'),
  resolve: (name) => here().resolve(name),
  manifest: () =>
    here()('@eggapi/mock-server/package.json') as { peerDependencies?: Record<string, string> },
};

/**
 * The Redis backend module, loaded on demand (the memory default never loads ioredis or
 * BullMQ). When a peer is missing this throws a {@link MissingPeerDependencyError} naming the
 * exact `npm i` line, instead of the loader's bare "Cannot find module"; any other failure is
 * rethrown as it is.
 */
export async function loadRedisBackend(loader: Partial<PeerLoader> = {}): Promise<Backend> {
  const { load, resolve, manifest } = { ...defaults, ...loader };
  try {
    return await load();
  } catch (error) {
    if (!isModuleNotFound(error)) throw error;
    const missing = REDIS_PEERS.filter((name) => {
      try {
        resolve(name);
        return false;
      } catch (resolveError) {
        return isModuleNotFound(resolveError);
      }
    });
    // Something else is missing (a broken install): the original error says what.
    if (missing.length === 0) throw error;
    throw new MissingPeerDependencyError(missing, installCommand(missing, manifest), {
      cause: error,
    });
  }
}

/** `npm i name@range …`, the ranges from this package's `peerDependencies` (bare names if unread). */
function installCommand(names: readonly string[], manifest: PeerLoader['manifest']): string {
  let ranges: Record<string, string> = {};
  try {
    ranges = manifest().peerDependencies ?? {};
  } catch {
    // The names alone still install something that works.
  }
  return `npm i ${names.map((name) => (ranges[name] ? `${name}@${ranges[name]}` : name)).join(' ')}`;
}

/** Node's "not found" from require (CommonJS, the bundle) or from import (ES modules). */
function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND';
}
