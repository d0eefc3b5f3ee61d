import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as main from './index.js';
import * as web from './web.js';

// What each verifier entry pulls in: never the Redis replay store (its own entry), and from
// @eggapi/contracts only the webhook schema and the header constants (so a bundler keeps the
// rest of the contract out once the schemas tree-shake).
const SRC = dirname(fileURLToPath(import.meta.url));
const IMPORT = /(?:import|export)\s([^'"]*?)from\s+'([^']+)'/g;
const CONTRACTS_RUNTIME = new Set([
  'checkWebhookEvent',
  'WEBHOOK_SIGNATURE_HEADER',
  'WEBHOOK_SIGNATURE_PREFIX',
  'WEBHOOK_TIMESTAMP_HEADER',
  'webhookSignedContent',
]);

function localGraph(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  for (const [, , specifier] of readFileSync(entry, 'utf8').matchAll(IMPORT)) {
    if (specifier!.startsWith('.')) {
      localGraph(join(dirname(entry), specifier!.replace(/\.js$/, '.ts')), seen);
    }
  }
  return seen;
}

/** The value (not type-only) names a file imports from @eggapi/contracts. */
function contractsValues(file: string): string[] {
  const names: string[] = [];
  for (const [, clause, specifier] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    if (specifier !== '@eggapi/contracts' || /^type\s/.test(clause!)) continue;
    const braces = /\{([^}]*)\}/.exec(clause!);
    expect(braces, `${relative(SRC, file)} imports @eggapi/contracts by name`).not.toBeNull();
    for (const part of braces![1]!.split(',')) {
      const name = part.trim();
      if (name && !name.startsWith('type ')) names.push(name);
    }
  }
  return names;
}

describe.each(['index.ts', 'web.ts', 'fetch.ts', 'express.ts'])('the entry %s', (entry) => {
  const files = [...localGraph(join(SRC, entry))];

  it('never reaches the Redis replay store, nor names Redis in code', () => {
    expect(files.map((f) => relative(SRC, f))).not.toContain('redis-replay-store.ts');
    for (const file of files) {
      const code = readFileSync(file, 'utf8').replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '');
      expect(code, relative(SRC, file)).not.toMatch(/redis/i);
    }
  });

  it('takes from @eggapi/contracts only the webhook schema and the header constants', () => {
    const names = files.flatMap(contractsValues);
    expect(names.filter((name) => !CONTRACTS_RUNTIME.has(name))).toEqual([]);
  });
});

describe('the Redis replay store entry', () => {
  it('offers RedisReplayStore, which the main and web entries do not', async () => {
    const entry = await import('./redis-replay-store.js');
    expect(typeof entry.RedisReplayStore).toBe('function');
    expect(entry.DEFAULT_REDIS_REPLAY_PREFIX).toBe('eggapi-webhook:replay:');
    for (const other of [main, web]) {
      expect(other).not.toHaveProperty('RedisReplayStore');
      expect(other).not.toHaveProperty('DEFAULT_REDIS_REPLAY_PREFIX');
    }
  });

  it.each([
    ['no options', undefined],
    ['no client', {}],
    ['a client without set()', { client: {} }],
    ['a prefix that is not a string', { client: { set: () => Promise.resolve('OK') }, prefix: 1 }],
  ])('refuses %s with a TypeError', async (_name, options) => {
    const { RedisReplayStore } = await import('./redis-replay-store.js');
    expect(() => new RedisReplayStore(options as never)).toThrow(TypeError);
  });
});
