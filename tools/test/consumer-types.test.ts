import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consumerFile,
  errorsByConsumer,
  groupConsumers,
  type ConsumerGroup,
} from './support/consumer-groups.js';
import { CONSUMERS, consumerTsconfig } from './support/consumers.js';
import { linkedInstall } from './support/linked-install.js';
import { storeProject } from './support/packed.js';
import { publishedEntries } from './support/tarballs.js';
import { tscErrorLines } from './support/tsc-in-process.js';

/**
 * Another team's project, one per entry of every package: strict, NodeNext, `skipLibCheck: false`,
 * with only the packages a user of that entry installs (our tarballs and what it names itself).
 * Our declarations must compile there. Consumers that install the same packages on the same
 * runtime share one install and one tsc program, a file each (consumer-groups.ts). Needs the
 * packages built (the Nx `test` target of this project depends on every `build`).
 */
const GROUPS = groupConsumers(CONSUMERS);
let base: string;
const errors = new Map<string, string[]>();

/**
 * Installs the group's packages in its own directory (linked from the run's one real install:
 * exactly what npm installs for them), with each consumer's source file.
 */
function install(group: ConsumerGroup, store: string) {
  const dir = join(base, group.id);
  const [{ packages, extra }] = group.consumers as [ConsumerGroup['consumers'][number]];
  linkedInstall(store, dir, [...packages, ...extra]);
  for (const consumer of group.consumers) {
    writeFileSync(join(dir, consumerFile(consumer)), consumer.source.trimStart());
  }
}

/** tsc's error lines for the tsconfig `name` in the group's directory, compiling `files`. */
function typecheck(group: ConsumerGroup, name: string, files: string[]): string[] {
  const dir = join(base, group.id);
  const tsconfig = consumerTsconfig(group.consumers[0]!.runtime, files);
  writeFileSync(join(dir, name), JSON.stringify(tsconfig, null, 2));
  return tscErrorLines(join(dir, name));
}

/**
 * The group's errors by consumer: one program for all; when it reports an error in no consumer's
 * file (a declaration of ours), each consumer compiled alone again, so the error goes to the
 * consumers whose entry brings it in.
 */
function typecheckGroup(group: ConsumerGroup): Map<string, string[]> {
  const all = group.consumers.map(consumerFile);
  const found = errorsByConsumer(typecheck(group, 'tsconfig.json', all), group.consumers);
  const unattributed = found.get(undefined) ?? [];
  const byId = new Map(group.consumers.map((c) => [c.id, found.get(c.id) ?? []]));
  if (unattributed.length === 0) return byId;
  if (group.consumers.length === 1)
    return new Map([[group.id, [...byId.get(group.id)!, ...unattributed]]]);
  for (const consumer of group.consumers) {
    const alone = `tsconfig.${consumer.id}.json`;
    byId.set(consumer.id, typecheck(group, alone, [consumerFile(consumer)]));
  }
  return byId;
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'eggapi-consumers-'));
  // The one real install of this run, shared with the other test files.
  const store = await storeProject();
  // One program after another in this process (the other core runs the other test files).
  for (const group of GROUPS) {
    install(group, store);
    for (const [id, lines] of typecheckGroup(group)) errors.set(id, lines);
  }
}, 300_000);

afterAll(() => rmSync(base, { recursive: true, force: true }));

const byId = (id: string) => CONSUMERS.find((c) => c.id === id)!;
const others = CONSUMERS.filter(
  (c) => !['webhook', 'webhook-express-plain', 'mock-server'].includes(c.id),
);

describe('a strict NodeNext consumer with skipLibCheck: false', () => {
  it('covers every entry of every published package', () => {
    expect([...new Set(CONSUMERS.map((c) => c.entry))].sort()).toEqual(publishedEntries().sort());
  });

  it('shares an install only between consumers that install the same packages on one runtime', () => {
    for (const { consumers } of GROUPS) {
      const shared = consumers.map((c) => [[...c.packages].sort(), [...c.extra].sort(), c.runtime]);
      expect(new Set(shared.map((s) => JSON.stringify(s))).size, consumers[0]!.id).toBe(1);
    }
    expect(GROUPS.flatMap((g) => g.consumers).length).toBe(CONSUMERS.length);
  });

  it.each(others.map((c) => [c.entry, c] as const))(
    'of %s compiles with only what it installs',
    (_entry, consumer) => {
      expect(errors.get(consumer.id)).toEqual([]);
    },
  );

  it('of @eggapi/webhook (main entry) compiles without express or @types/express installed', () => {
    expect(byId('webhook').extra).not.toContain('express');
    expect(errors.get('webhook')).toEqual([]);
  });

  it('of @eggapi/webhook/express compiles on plain node:http without express or @types/express', () => {
    const plain = byId('webhook-express-plain');
    expect(plain.extra).not.toContain('express');
    expect(plain.extra).not.toContain('@types/express');
    expect(errors.get('webhook-express-plain')).toEqual([]);
  });

  it('of @eggapi/mock-server compiles without @types/express installed', () => {
    expect(byId('mock-server').extra).not.toContain('@types/express');
    expect(errors.get('mock-server')).toEqual([]);
  });
});
