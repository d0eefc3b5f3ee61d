import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRedisBackend, MissingPeerDependencyError } from './peers.js';

/** The ranges as the manifest declares them, read here, not through the code under test. */
const peers = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    peerDependencies: Record<string, string>;
  }
).peerDependencies;

/** An error as Node's loaders throw it for a package that is not installed. */
function notFound(name: string, code = 'ERR_MODULE_NOT_FOUND'): Error {
  return Object.assign(new Error(`Cannot find package '${name}'`), { code });
}

/** A loader whose `load` fails as it would without the `absent` packages. */
function without(absent: string[], code?: string) {
  return {
    load: () => Promise.reject(notFound(absent[0] ?? 'something-else', code)),
    resolve: (name: string) => {
      if (absent.includes(name)) throw notFound(name, 'MODULE_NOT_FOUND');
      return `/node_modules/${name}/index.js`;
    },
  };
}

describe('loadRedisBackend', () => {
  it('loads the backend when ioredis and bullmq are installed (the workspace has them)', async () => {
    const backend = await loadRedisBackend();
    expect(typeof backend.connectRedis).toBe('function');
  });

  it.each([
    [['ioredis', 'bullmq'], 'ERR_MODULE_NOT_FOUND'],
    [['ioredis', 'bullmq'], 'MODULE_NOT_FOUND'],
    [['ioredis'], 'MODULE_NOT_FOUND'],
    [['bullmq'], 'ERR_MODULE_NOT_FOUND'],
  ])('without %j (%s), says exactly what to install', async (absent, code) => {
    const error = await loadRedisBackend(without(absent, code)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingPeerDependencyError);
    const missing = error as MissingPeerDependencyError;
    const install = `npm i ${absent.map((name) => `${name}@${peers[name]}`).join(' ')}`;
    expect(missing.code).toBe('ERR_MISSING_PEER_DEPENDENCY');
    expect(missing.missing).toEqual(absent);
    expect(missing.install).toBe(install);
    expect(missing.message).toContain(`missing: ${absent.join(', ')}.`);
    expect(missing.message.endsWith(install)).toBe(true);
    expect((missing.cause as { code: string }).code).toBe(code);
  });

  it('names the peers with their declared ranges: ioredis ^6, bullmq ^6.7', () => {
    expect(peers).toMatchObject({ ioredis: '^6.0.0', bullmq: '^6.7.0' });
  });

  it('installs the bare names when the manifest cannot be read', async () => {
    const error = await loadRedisBackend({
      ...without(['ioredis', 'bullmq']),
      manifest: () => {
        throw new Error('no package.json');
      },
    }).catch((e: unknown) => e);
    expect((error as MissingPeerDependencyError).install).toBe('npm i ioredis bullmq');
  });

  it('rethrows a missing module that is not one of the peers, and any other failure, as it is', async () => {
    const broken = notFound('denque');
    await expect(
      loadRedisBackend({ ...without([]), load: () => Promise.reject(broken) }),
    ).rejects.toBe(broken);
    const other = new SyntaxError('Unexpected token');
    await expect(loadRedisBackend({ load: () => Promise.reject(other) })).rejects.toBe(other);
  });
});
