import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { depConstraints, requiredTags } from '../dependency-rules.mjs';
import { NX_ENV, ROOT, run } from './support/workspace.js';

interface Graph {
  graph: {
    nodes: Record<string, { data: { root: string; tags?: string[] } }>;
    dependencies: Record<string, { source: string; target: string; type: string }[]>;
  };
}

let dir: string;
let graph: Graph['graph'];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'eggapi-graph-'));
  const file = join(dir, 'graph.json');
  await run('npx', ['nx', 'graph', `--file=${file}`], { cwd: ROOT, env: NX_ENV });
  graph = (JSON.parse(readFileSync(file, 'utf8')) as Graph).graph;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Workspace projects (not npm packages, not the repository root). */
function projects(): string[] {
  return Object.keys(graph.nodes).filter((name) => graph.nodes[name]!.data.root !== '.');
}

function workspaceDependencies(name: string): string[] {
  const inWorkspace = new Set(projects());
  return (graph.dependencies[name] ?? [])
    .map((dep) => dep.target)
    .filter((target) => inWorkspace.has(target));
}

describe('the Nx project graph', () => {
  it('has @eggapi/contracts depending on no other project', () => {
    expect(projects()).toContain('@eggapi/contracts');
    expect(workspaceDependencies('@eggapi/contracts')).toEqual([]);
  });

  it('tags every project as the dependency rules expect', () => {
    for (const name of projects()) {
      const expected = requiredTags[name as keyof typeof requiredTags];
      expect(expected, `${name} has no entry in tools/dependency-rules.mjs`).toBeDefined();
      expect(graph.nodes[name]!.data.tags ?? []).toEqual(expect.arrayContaining(expected));
    }
  });

  it('has only the edges the conventions allow', () => {
    const violations: string[] = [];
    for (const source of projects()) {
      const sourceTags = graph.nodes[source]!.data.tags ?? [];
      for (const target of workspaceDependencies(source)) {
        const targetTags = graph.nodes[target]!.data.tags ?? [];
        for (const rule of depConstraints.filter((r) => sourceTags.includes(r.sourceTag))) {
          if (!rule.onlyDependOnLibsWithTags.some((tag) => targetTags.includes(tag))) {
            violations.push(`${source} -> ${target} (rule for ${rule.sourceTag})`);
          }
        }
      }
    }
    expect(violations).toEqual([]);
  });
});
