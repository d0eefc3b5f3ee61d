// @ts-check
/**
 * The fixed dependency graph of ../shared/CONVENTIONS.md as Nx tag constraints. Shared by the
 * lint rule (eslint.config.mjs) and the project-graph test (test/dependency-graph.test.ts).
 *
 * contracts imports no workspace package; client and webhook import only contracts; the CLI
 * imports contracts, client and webhook; the mock engine imports contracts and webhook; the mock
 * server imports contracts, webhook and the mock engine; nothing imports the mock server but tests
 * (the conformance kit) and tools.
 */

/** A tag that no project carries: depending on "only" it means depending on nothing. */
export const NOTHING = 'npm:none';

/** @type {{ sourceTag: string; onlyDependOnLibsWithTags: string[] }[]} */
export const depConstraints = [
  { sourceTag: 'type:contract', onlyDependOnLibsWithTags: [NOTHING] },
  { sourceTag: 'scope:client', onlyDependOnLibsWithTags: ['type:contract'] },
  { sourceTag: 'scope:webhook', onlyDependOnLibsWithTags: ['type:contract'] },
  {
    sourceTag: 'scope:cli',
    onlyDependOnLibsWithTags: ['type:contract', 'scope:client', 'scope:webhook'],
  },
  {
    sourceTag: 'scope:mock-engine',
    onlyDependOnLibsWithTags: ['type:contract', 'scope:webhook'],
  },
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:contract', 'scope:webhook', 'scope:mock-engine'],
  },
  { sourceTag: 'type:test', onlyDependOnLibsWithTags: ['type:contract', 'type:lib', 'type:app'] },
  {
    sourceTag: 'type:tools',
    onlyDependOnLibsWithTags: ['type:contract', 'type:lib', 'type:app', 'type:test'],
  },
];

/** The tags each project must carry, so that the constraints above apply to it. */
export const requiredTags = {
  '@eggapi/contracts': ['type:contract'],
  '@eggapi/client': ['type:lib', 'scope:client'],
  '@eggapi/webhook': ['type:lib', 'scope:webhook'],
  '@eggapi/cli': ['type:lib', 'scope:cli'],
  '@eggapi/mock-engine': ['type:lib', 'scope:mock-engine'],
  '@eggapi/mock-server': ['type:app'],
  '@eggapi/conformance': ['type:test'],
  '@eggapi/tools': ['type:tools'],
};
